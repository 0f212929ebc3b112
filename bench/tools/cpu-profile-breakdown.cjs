// Reads a .cpuprofile of the standalone under load (node --cpu-prof) and says where the event loop's
// time went in the loaded part of it (from the first webhook request + SKIP seconds):
//   node bench/tools/cpu-profile-breakdown.cjs PROFILE [SKIP_SECONDS=12] [classes|runs|self] [N=30]
// classes: main-thread time by what the sample's stack belongs to (the request path, the projection,
//          the consumers, Postgres I/O, GC; a writev syscall is counted under its caller);
// runs:    per function, its uninterrupted stretches (consecutive samples holding it: about one call)
//          — count, p50, p99, longest and the time in stretches over 5 ms: what holds the loop;
// self:    the heaviest functions by self time.
// Samples are wall-clock: on a loaded machine a descheduled thread's gap lands on whatever it ran.
const fs = require('node:fs');
const [file, skipArg = '12', mode = 'classes', nArg = '30'] = process.argv.slice(2);
const p = JSON.parse(fs.readFileSync(file, 'utf8'));
const SKIP = Number(skipArg) * 1e6;
const N = Number(nArg);
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const name = (n) => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/^.*node_modules\//, 'nm/').replace(/^.*\/(apps|libs)\//, '$1/').replace(/^file:\/\//, '')}:${n.callFrame.lineNumber + 1}`;
const stackOf = (id) => { const s = []; for (let x = id; x !== undefined; x = parent.get(x)) s.push(name(byId.get(x))); return s; };

let t = p.startTime, first;
const times = p.samples.map((id, i) => { t += p.timeDeltas[i]; if (first === undefined && name(byId.get(id)).startsWith('receive apps/gateway')) first = t; return t; });
const loaded = [];
for (let i = 0; i < p.samples.length; i++) if (first !== undefined && times[i] >= first + SKIP) loaded.push([p.samples[i], p.timeDeltas[i] / 1000]);
const idle = loaded.filter(([id]) => byId.get(id).callFrame.functionName === '(idle)').reduce((a, [, dt]) => a + dt, 0);
const busy = loaded.filter(([id]) => byId.get(id).callFrame.functionName !== '(idle)');
const total = busy.reduce((a, [, dt]) => a + dt, 0);
console.log(`loaded window: busy ${total.toFixed(0)} ms, idle ${idle.toFixed(0)} ms (${((100 * idle) / (idle + total)).toFixed(1)} % idle)`);
const print = (rows) => { for (const [k, v, ...rest] of rows) console.log(v.toFixed(0).padStart(7), `${((100 * v) / total).toFixed(1)}%`.padStart(6), ...rest, k); };

const CLASSES = [
  ['GC', /^\(garbage collector\)/],
  ['projection: fold and write', /execution-projector\.js:(9\d|1[01]\d) |batch-projection|execution-fold|projectBatch/],
  ['projection: publish live updates', /execution-projector\.js:1([2-9]\d) |^publish .*execution-projector/],
  ['live-update and metrics consumers', /live-updates|projection-metrics/],
  ['relay, trigger listener, executor', /outbox-relay|flow-trigger-listener|apps\/executor|apps\/scheduler/],
  ['log subscriptions (reads)', /catch-up-subscription|coalescing-reader|pg-notification/],
  ['request: controller, use cases, domain', /webhook\.controller|start-triggered|create-execution|first-step|execution-admission/],
  ['request: HTTP, Express, Nest', /_http_|express|router|body-parser|raw-body|platform-express|http-tracing|security-headers|shed-webhooks|ui-static|parserOn/],
  ['log appends', /append-coalescer|postgres-event-store/],
  ['pg: answers (any query)', /pg-protocol|nm\/pg\/lib|pg-types|postgres-date/],
  ['TypeORM', /typeorm/],
];
if (mode === 'classes') {
  const m = new Map();
  for (const [id, dt] of busy) {
    const stack = stackOf(id);
    let cls = 'other';
    outer: for (const [label, re] of CLASSES) for (const frame of stack) if (re.test(frame)) { cls = label; break outer; }
    if (stack[0].startsWith('writev ')) cls = `writev syscall, under: ${cls}`;
    m.set(cls, (m.get(cls) ?? 0) + dt);
  }
  print([...m].sort((a, b) => b[1] - a[1]));
} else if (mode === 'runs') {
  const open = new Map(), runs = new Map();
  const close = (k) => { (runs.get(k) ?? runs.set(k, []).get(k)).push(open.get(k)); open.delete(k); };
  for (const [id, dt] of loaded) {
    const here = new Set(stackOf(id).filter((f) => /(apps|libs)\/|^\(garbage/.test(f)));
    for (const k of [...open.keys()]) if (!here.has(k)) close(k);
    for (const k of here) open.set(k, (open.get(k) ?? 0) + dt);
  }
  for (const k of [...open.keys()]) close(k);
  console.log('   ms>5   share   runs    p50    p99    max  function');
  const rows = [...runs].map(([k, v]) => { v.sort((a, b) => a - b); return [k, v.filter((x) => x > 5).reduce((a, b) => a + b, 0), String(v.length).padStart(6), v[Math.floor(v.length / 2)].toFixed(1).padStart(6), v[Math.floor(v.length * 0.99)].toFixed(1).padStart(6), v.at(-1).toFixed(1).padStart(6)]; });
  print(rows.sort((a, b) => b[1] - a[1]).slice(0, N));
} else {
  const m = new Map();
  for (const [id, dt] of busy) { const k = name(byId.get(id)); m.set(k, (m.get(k) ?? 0) + dt); }
  print([...m].sort((a, b) => b[1] - a[1]).slice(0, N));
}
