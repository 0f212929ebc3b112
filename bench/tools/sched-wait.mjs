// Usage: node bench/tools/sched-wait.mjs ROOT APP [intervalMs]
// Samples, every interval, the run-queue wait share of the main thread of `node apps/APP/dist/main.js`
// started in ROOT (/proc/<pid>/schedstat: on-CPU ns, waiting ns), from outside: what an admission bound on
// CPU starvation would read (bench/results/2026-12-07-dist-3.md). On SIGTERM/SIGINT prints the windows'
// distribution and the sustained share (lower of two consecutive windows) as JSON.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

const [root, app, intervalArg] = process.argv.slice(2);
const intervalMs = Number(intervalArg ?? 250);
const wanted = `apps/${app}/dist/main.js`;
const find = () => {
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (readFileSync(`/proc/${e}/cmdline`, 'utf8').includes(wanted) && readlinkSync(`/proc/${e}/cwd`) === root) return Number(e);
    } catch {}
  }
  return undefined;
};
let pid;
let last;
const windows = [];
const tick = () => {
  pid ??= find();
  if (pid) {
    try {
      const [run, wait] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ').map(Number);
      const at = performance.now();
      if (last) windows.push({ run: (run - last.run) / 1e6 / (at - last.at), wait: (wait - last.wait) / 1e6 / (at - last.at) });
      last = { at, run, wait };
    } catch { pid = undefined; last = undefined; }
  }
};
setInterval(tick, intervalMs);
const q = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s.length ? +s[Math.min(s.length - 1, Math.floor(p * s.length))].toFixed(2) : null; };
const done = () => {
  const w = windows.map((x) => x.wait);
  const sustained = w.slice(1).map((x, i) => Math.min(x, w[i]));
  const over = (t) => +(sustained.filter((x) => x > t).length / Math.max(1, sustained.length)).toFixed(3);
  const r = windows.map((x) => x.run + x.wait);
  const rs = r.slice(1).map((x, i) => Math.min(x, r[i]));
  const rover = (t) => +(rs.filter((x) => x > t).length / Math.max(1, rs.length)).toFixed(3);
  console.log(JSON.stringify({ runnableP50: q(r, 0.5), runnableP90: q(r, 0.9), runnableSustainedOver: { '0.8': rover(0.8), '0.9': rover(0.9), '0.95': rover(0.95) }, app, windows: w.length, waitP50: q(w, 0.5), waitP90: q(w, 0.9), waitMax: q(w, 1), runP50: q(windows.map((x) => x.run), 0.5), sustainedP50: q(sustained, 0.5), sustainedP90: q(sustained, 0.9), sustainedOver: { '0.3': over(0.3), '0.4': over(0.4), '0.5': over(0.5), '0.6': over(0.6), '0.7': over(0.7) } }));
  process.exit(0);
};
process.on('SIGTERM', done);
process.on('SIGINT', done);
