// Preload (node --require) for the standalone under load (bench/tools/standalone-tail.sh): the event
// loop's delay (monitorEventLoopDelay, 5 ms resolution) per 5 s window, GC pauses (count, total, how
// many over 10 ms, longest, by kind: 1 scavenge, 2 mark-compact, 4 incremental, 8 weak callbacks) and
// the process CPU, written to $ELD_OUT every 5 s and at exit. Not loaded by anything else.
const { monitorEventLoopDelay, PerformanceObserver } = require('perf_hooks');
const fs = require('fs');
const out = process.env.ELD_OUT || '/tmp/tail/eld.json';
const h = monitorEventLoopDelay({ resolution: 5 });
h.enable();
const gc = { count: 0, totalMs: 0, over10: 0, max: 0, byKind: {} };
new PerformanceObserver((list) => { for (const e of list.getEntries()) { gc.count++; gc.totalMs += e.duration; if (e.duration > 10) gc.over10++; if (e.duration > gc.max) gc.max = e.duration; const k = e.detail?.kind ?? e.kind; gc.byKind[k] = (gc.byKind[k] || 0) + e.duration; } }).observe({ entryTypes: ['gc'] });
let windows = [];
const t0 = Date.now();
const snap = () => { const r = { t: Math.round((Date.now() - t0) / 1000), p50: h.percentile(50) / 1e6, p90: h.percentile(90) / 1e6, p99: h.percentile(99) / 1e6, max: h.max / 1e6, mean: h.mean / 1e6, gcCount: gc.count, gcMs: Math.round(gc.totalMs), gcOver10: gc.over10, gcMax: gc.max, gcByKind: gc.byKind, cpu: process.cpuUsage() }; windows.push(r); h.reset(); try { fs.writeFileSync(out, JSON.stringify(windows)); } catch {} };
setInterval(snap, 5000).unref();
process.on('exit', snap);
