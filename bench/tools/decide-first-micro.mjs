// Micro-benchmark of the first decision alone (issue #19): the use-cases' decideFirstStep and its
// envelopes (firstStepEnvelopes) on Kestra's benchmark01 with its webhook trigger, as the
// standalone's `?wait=true` start decides it. Builds of several checkouts run in the same process,
// alternated round by round, so a busy machine slows them alike: ns/op and bytes/op per build.
// Bytes = the used heap's growth between collections, summed (v8.GCProfiler), as alloc-probe.cjs.
//   node --expose-gc bench/tools/decide-first-micro.mjs ROOT_A [ROOT_B ...] [--ops 20000] [--rounds 8]
import v8 from 'node:v8';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, fallback) => { const i = args.indexOf(name); return i < 0 ? fallback : Number(args.splice(i, 2)[1]); };
const OPS = opt('--ops', 20_000);
const ROUNDS = opt('--rounds', 8);
const roots = args;

const FLOW = `id: benchmark01
namespace: benchmarks
inputs:
  - id: name
    type: STRING
    defaults: World
tasks:
  - id: concatenate
    type: io.kestra.plugin.core.output.OutputValues
    values:
      message: Hello {{ inputs.name }}
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.concatenate.values.message }}"
triggers:
  - id: webhook
    type: io.kestra.plugin.core.trigger.Webhook
    key: k
    inputs:
      name: "{{ trigger.body.name }}"
`;

async function load(root) {
  const domain = await import(pathToFileURL(`${root}/libs/domain/dist/index.js`).href);
  const firstStep = await import(pathToFileURL(`${root}/libs/use-cases/dist/first-step.js`).href);
  const flow = domain.parseFlow(FLOW, domain.CORE_TASK_CATALOG, 1);
  const create = (i) => domain.decideAndFold({
    type: 'CreateExecution', executionId: `0193a1b2-c3d4-7e5f-8a9b-${String(i).padStart(12, '0')}`, flow, inputs: { name: `Ops ${i}` },
    labels: undefined, trigger: { type: 'io.kestra.plugin.core.trigger.Webhook', id: 'webhook', body: { name: `Ops ${i}` }, headers: { 'content-type': ['application/json'] }, parameters: {} }, now: '2026-12-07T18:00:00.000Z',
  }, undefined, { flow, taskTypes: domain.CORE_TASK_CATALOG }).state;
  // A pool of created executions (distinct ids, as under load), made before timing starts.
  const created = Array.from({ length: 256 }, (_, i) => create(i));
  const settings = { localTasks: true, installation: undefined };
  const op = (i) => {
    const step = firstStep.decideFirstStep(created[i & 255], flow, domain.CORE_TASK_CATALOG, '2026-12-07T18:00:00.010Z', settings);
    return firstStep.firstStepEnvelopes(step);
  };
  return { root, op, ns: [], bytes: [] };
}

function measure(build) {
  globalThis.gc?.();
  let since = v8.getHeapStatistics().used_heap_size;
  const profiler = new v8.GCProfiler();
  profiler.start();
  let sink = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < OPS; i++) sink += build.op(i).length;
  const t1 = process.hrtime.bigint();
  const { statistics } = profiler.stop();
  let allocated = 0;
  for (const gc of statistics) {
    allocated += Math.max(0, gc.beforeGC.heapStatistics.usedHeapSize - since);
    since = gc.afterGC.heapStatistics.usedHeapSize;
  }
  allocated += Math.max(0, v8.getHeapStatistics().used_heap_size - since);
  if (sink === 0) throw new Error('nothing decided');
  build.ns.push(Number(t1 - t0) / OPS);
  build.bytes.push(allocated / OPS);
}

const builds = [];
for (const root of roots) builds.push(await load(root));
for (const b of builds) for (let i = 0; i < 2000; i++) b.op(i); // warm-up
for (let r = 0; r < ROUNDS; r++) for (const b of (r % 2 === 0 ? builds : [...builds].reverse())) measure(b);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const b of builds) {
  console.log(JSON.stringify({ root: b.root, ops: OPS, rounds: ROUNDS, ns_per_op_median: Math.round(median(b.ns)), ns_per_op_min: Math.round(Math.min(...b.ns)),
    bytes_per_op_median: Math.round(median(b.bytes)) }));
}
