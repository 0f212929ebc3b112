// Usage: NODE_OPTIONS="--require $PWD/bench/tools/accept-probe.cjs" node bench/dist/run.js ... (ACCEPT_PROBE_DIR, default /tmp).
// Preload for every service: per second, connections accepted by each listening server, and the event loop's
// utilisation; written to ${process.env.ACCEPT_PROBE_DIR || "/tmp"}/accept-probe-<pid>.log. Only processes that listen write anything.
const net = require('node:net');
const fs = require('node:fs');
const { performance } = require('node:perf_hooks');
const file = `${process.env.ACCEPT_PROBE_DIR || "/tmp"}/accept-probe-${process.pid}.log`;
let accepted = 0; let listening = false; let lastElu = performance.eventLoopUtilization();
const origListen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (!this.__probed) {
    this.__probed = true;
    this.on('connection', () => accepted++);
    this.on('listening', () => {
      const a = this.address();
      if (!listening) {
        listening = true;
        fs.appendFileSync(file, `pid ${process.pid} argv ${process.argv.slice(1).join(' ')} listening ${JSON.stringify(a)}\n`);
        setInterval(() => {
          const elu = performance.eventLoopUtilization(lastElu); lastElu = performance.eventLoopUtilization();
          fs.appendFileSync(file, `${new Date().toISOString().slice(11, 19)} accepted ${accepted} elu ${elu.utilization.toFixed(2)} handles ${process._getActiveHandles().length}\n`);
        }, 1000).unref();
      } else fs.appendFileSync(file, `also listening ${JSON.stringify(a)}\n`);
    });
  }
  return origListen.apply(this, args);
};
