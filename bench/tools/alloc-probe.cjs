// Preload (node --require) for the standalone under load (bench/tools/alloc-per-execution.sh): how
// many bytes the JS heap allocated (collected or not) how many webhook calls the server took and how many it answered 200, as
// running totals written to $ALLOC_OUT every second and at exit. Bytes allocated = the growth of the
// used heap between collections, summed (v8.GCProfiler reports the used heap before and after each
// one): a count that does not depend on how busy the machine is. With $ALLOC_PROFILE_DIR, also a
// sampling heap profile that keeps the objects collected since (what allocates, not what stays),
// from the first webhook call to exit: open it in DevTools' Memory tab, or
// `node bench/tools/alloc-profile-top.cjs FILE`. Not loaded by anything else.
const v8 = require('v8');
const fs = require('fs');
const path = require('path');
const dc = require('diagnostics_channel');
const out = process.env.ALLOC_OUT || '/tmp/alloc.json';
const profileDir = process.env.ALLOC_PROFILE_DIR;

let allocated = 0;
let requests = 0;
let executions = 0;
let since = v8.getHeapStatistics().used_heap_size;
let profiler = new v8.GCProfiler();
profiler.start();
const t0 = Date.now();
const series = [];

function account() {
  const { statistics } = profiler.stop();
  for (const gc of statistics) {
    allocated += Math.max(0, gc.beforeGC.heapStatistics.usedHeapSize - since);
    since = gc.afterGC.heapStatistics.usedHeapSize;
  }
  const now = v8.getHeapStatistics().used_heap_size;
  allocated += Math.max(0, now - since);
  since = now;
  profiler = new v8.GCProfiler();
  profiler.start();
}

let session;
dc.subscribe('http.server.request.start', ({ request }) => {
  if (!request.url || !request.url.includes('/executions/webhook/')) return;
  requests++;
  if (profileDir && !session) {
    const inspector = require('inspector');
    session = new inspector.Session();
    session.connect();
    session.post('HeapProfiler.startSampling', { samplingInterval: 16384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  }
});

// An execution: a webhook call answered 200 (a refusal, 429 or 503, allocates next to nothing).
dc.subscribe('http.server.response.finish', ({ request, response }) => {
  if (response.statusCode === 200 && request.url && request.url.includes('/executions/webhook/')) executions++;
});

function snap() {
  account();
  series.push({ t: Date.now() - t0, allocated, requests, executions, cpu: process.cpuUsage() });
  try { fs.writeFileSync(out, JSON.stringify(series)); } catch {}
}
setInterval(snap, 1000).unref();
process.on('exit', () => {
  snap();
  if (session) {
    session.post('HeapProfiler.stopSampling', (error, result) => {
      if (!error) fs.writeFileSync(path.join(profileDir, `alloc-${process.pid}.heapprofile`), JSON.stringify(result.profile));
    });
  }
});
