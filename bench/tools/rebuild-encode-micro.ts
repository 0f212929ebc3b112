/**
 * The fold worker's per-batch work alone (not a test): a batch of 5,000 events of real
 * benchmark01 executions is parsed (JSON, as `parseRawEvent` does), folded (`foldExecutions`) and
 * encoded (`encodeShadowRows`) again and again, from the COMPILED read model of the checkout given
 * (so two checkouts, e.g. a base and a branch, are compared by running this twice, alternated).
 * Prints CPU µs per event (user + system of the whole process: V8's GC helper threads included)
 * and the garbage collections seen, after a warm-up. Run from the repo:
 *   node --import tsx bench/tools/rebuild-encode-micro.ts /path/to/checkout [rounds=200] [all|encode]
 * `encode`: the batch is parsed and folded once, and only its encoding is repeated.
 */
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { toEventData } from '@chronicle/contracts';
import { benchmark01Events } from '../src/scenarios/rebuild.scenario.js';

const root = process.argv[2] ?? process.cwd();
const rounds = Number(process.argv[3] ?? 200);
const encodeOnly = process.argv[4] === 'encode';
const fold = await import(`${root}/libs/read-model/dist/projection/execution-fold.js`);
const encoder = await import(`${root}/libs/read-model/dist/rebuild/shadow-rows.encoder.js`);

// 556 executions x 9 events: one default batch, as the raw log read hands it to a worker.
const at = new Date().toISOString();
const raw: { id: string; type: string; dataJson: string; metadataJson: string; streamId: string; revision: bigint; position: bigint; recordedAt: string }[] = [];
let position = 0n;
for (let j = 0; raw.length < 5000; j++) {
  const id = `00000000-0000-7000-8000-${String(j).padStart(12, '0')}`;
  toEventData(benchmark01Events(id, at)).forEach((event, revision) => {
    raw.push({
      id: `${id}-${revision}`, type: event.type, dataJson: JSON.stringify(event.data), metadataJson: JSON.stringify(event.metadata ?? {}),
      streamId: `execution-${id}`, revision: BigInt(revision), position: ++position, recordedAt: at,
    });
  });
}

let gcs = 0;
let gcMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gcs++;
    gcMs += entry.duration;
  }
}).observe({ entryTypes: ['gc'] });

let bytes = 0;
let once: { events: unknown[]; folded: { executions: unknown[]; poison: unknown[] } } | undefined;
function batch(): void {
  if (encodeOnly && once) {
    const rows = encoder.encodeShadowRows(once.events, once.folded.executions, new Map(), once.folded.poison, at);
    bytes = rows.executionLines.length + rows.taskRunLines.length + rows.auditLines.length;
    return;
  }
  const events = raw.map((e) => ({
    id: e.id, type: e.type, data: JSON.parse(e.dataJson), metadata: JSON.parse(e.metadataJson), streamId: e.streamId, revision: e.revision, position: e.position, recordedAt: e.recordedAt,
  }));
  const folded = fold.foldExecutions(events, new Map(), fold.domainEvolve, { liveUpdates: false });
  if (encodeOnly) once = { events, folded };
  const rows = encoder.encodeShadowRows(events, folded.executions, new Map(), folded.poison, at);
  bytes = rows.executionLines.length + rows.taskRunLines.length + rows.auditLines.length;
}

for (let i = 0; i < 30; i++) batch();
gcs = 0;
gcMs = 0;
const cpu = process.cpuUsage();
const wall = performance.now();
for (let i = 0; i < rounds; i++) batch();
const used = process.cpuUsage(cpu);
const wallMs = performance.now() - wall;
await new Promise((resolve) => setTimeout(resolve, 50)); // the GC entries arrive asynchronously
const events = rounds * raw.length;
console.log(JSON.stringify({
  root, events, copyBytesPerBatch: bytes, cpuUsPerEvent: Math.round(((used.user + used.system) / events) * 100) / 100,
  mode: encodeOnly ? 'encode' : 'all', wallUsPerEvent: Math.round(((wallMs * 1000) / events) * 100) / 100, gcs, gcMsPerBatch: Math.round((gcMs / rounds) * 100) / 100,
}));
