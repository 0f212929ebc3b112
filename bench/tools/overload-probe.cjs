// Usage: NODE_OPTIONS="--require $PWD/bench/tools/overload-probe.cjs" node bench/dist/run.js ... (OVERLOAD_PROBE_DIR, default /tmp).
// Preload for every process: an HTTP server's per-second life of its connections and requests, to see where a call
// waits under overload. Per second: connections accepted, requests read, answers finished, answers to clients that had
// already gone, connections open, the longest wait from accept to the request's headers, the event loop's utilisation
// and the process's CPU (user+system). Written to <dir>/overload-probe-<pid>.log; only processes with an HTTP server write.
const http = require('node:http');
const fs = require('node:fs');
const { performance } = require('node:perf_hooks');
const file = `${process.env.OVERLOAD_PROBE_DIR || '/tmp'}/overload-probe-${process.pid}.log`;
let started = false;
const c = { accepted: 0, requests: 0, finished: 0, clientGone: 0, open: 0, maxReadMs: 0 };
const origEmit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, ...args) {
  if (event === 'connection') {
    const socket = args[0];
    c.accepted++; c.open++;
    socket.__acceptedAt = performance.now();
    socket.once('close', () => c.open--);
    if (!started) start();
  } else if (event === 'request') {
    const [req, res] = args;
    c.requests++;
    const s = req.socket;
    if (s.__acceptedAt !== undefined) { c.maxReadMs = Math.max(c.maxReadMs, performance.now() - s.__acceptedAt); s.__acceptedAt = undefined; }
    res.once('finish', () => c.finished++);
    res.once('close', () => { if (!res.writableFinished) c.clientGone++; });
  }
  return origEmit.call(this, event, ...args);
};
function start() {
  started = true;
  let lastElu = performance.eventLoopUtilization();
  let lastCpu = process.cpuUsage();
  fs.appendFileSync(file, `pid ${process.pid} argv ${process.argv.slice(1).join(' ')}\n`);
  setInterval(() => {
    const elu = performance.eventLoopUtilization(lastElu); lastElu = performance.eventLoopUtilization();
    const cpu = process.cpuUsage(lastCpu); lastCpu = process.cpuUsage();
    fs.appendFileSync(file, `${new Date().toISOString().slice(11, 19)} accepted ${c.accepted} requests ${c.requests} finished ${c.finished} gone ${c.clientGone} open ${c.open} maxReadMs ${Math.round(c.maxReadMs)} elu ${elu.utilization.toFixed(2)} cpu ${((cpu.user + cpu.system) / 1e6).toFixed(2)}\n`);
    c.accepted = 0; c.requests = 0; c.finished = 0; c.clientGone = 0; c.maxReadMs = 0;
  }, 1000).unref();
}
