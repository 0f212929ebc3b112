// Usage: node bench/tools/accept-per-turn.cjs [connections=2000]
// How many queued connections Node accepts per turn of its event loop. A child process opens the
// connections while this process's loop is held (the kernel completes them into the listening
// socket's accept queue); then each turn (one setImmediate) counts the 'connection' events since the
// last. Node 20 (libuv 1.46) prints 1 per turn: libuv >= 1.45 accepts one connection per turn
// ("unix: don't accept() connections in a loop", libuv #3696), so a gateway whose loop turns N times
// a second accepts at most N new connections a second, whatever is waiting.
const net = require('node:net');
const { spawn } = require('node:child_process');
const wanted = Number(process.argv[2] ?? 2000);
let accepted = 0;
const server = net.createServer((socket) => { accepted++; socket.destroy(); });
server.listen(0, '127.0.0.1', 4096, () => {
  const { port } = server.address();
  const child = spawn(process.execPath, ['-e', `const net=require('net');let c=0;for(let i=0;i<${wanted};i++){const s=net.connect(${port},'127.0.0.1');s.on('error',()=>{});s.on('connect',()=>{if(++c===${wanted})console.log('client: ${wanted} connected')})};setTimeout(()=>process.exit(0),8000)`], { stdio: 'inherit' });
  setTimeout(() => {
    const until = Date.now() + 3000;
    while (Date.now() < until) { /* the loop held: connections wait in the kernel */ }
    const perTurn = [];
    let last = accepted;
    const turn = () => {
      perTurn.push(accepted - last);
      last = accepted;
      if (accepted < wanted && perTurn.length < 20 * wanted) return setImmediate(turn);
      const counts = perTurn.filter((n) => n > 0);
      console.log(`node ${process.version} (libuv ${process.versions.uv}): ${accepted} accepted in ${perTurn.length} turns; most in one turn: ${Math.max(...counts)}`);
      server.close();
      child.kill();
    };
    setImmediate(turn);
  }, 100);
});
