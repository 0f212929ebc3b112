import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultMirrorPath, mirrorMissingMessage } from '../kestra-source.js';
import { issuesOf, sampleValue, verdictAt, type PropertyVerdict } from './flow-probe.js';
import { JAVA_ROOT, KestraClasses } from './kestra-classes.js';

/**
 * The classes Kestra's flow, task and input properties hold (core/src/main/java/io/kestra/core/models/...):
 * a retry, a worker group, a concurrency limit, a plugin default, a flow output, an SLA, a label, a
 * dependsOn. Every field of each (and of the classes it extends) is deployed inside its holder and must
 * be implemented or refused at deploy with a reason; a made-up one must be refused.
 */
const mirrorPath = defaultMirrorPath();
const found = existsSync(mirrorPath);
if (!found) console.log(mirrorMissingMessage(mirrorPath).replace('source-flows suite', 'model-properties coverage'));

const MODELS = `${JAVA_ROOT}io/kestra/core/models/`;
const LOG = { id: 't', type: 'io.kestra.plugin.core.log.Log', message: 'hi' };
const flow = (extra: Record<string, unknown> = {}, task: Record<string, unknown> = {}, input?: Record<string, unknown>) => ({
  id: 'f', namespace: 'company.team', ...(input ? { inputs: [{ id: 'i', type: 'STRING', required: false, ...input }] } : {}), tasks: [{ ...LOG, ...task }], ...extra,
});

interface Holder {
  /** The class whose fields are walked (and those of the Kestra classes it extends). */
  readonly file: string;
  /** What the holder needs besides the field under test. */
  readonly base: Record<string, unknown>;
  /** Builds the flow holding `value` (the holder's map) and names the path of `field`. */
  readonly place: (value: Record<string, unknown>) => unknown;
  readonly at: string;
}

const retry = (kind: string, file: string, base: Record<string, unknown>): Holder[] => [
  { file, base: { type: kind, maxAttempt: 2, ...base }, place: (v) => flow({ retry: v }), at: 'retry' },
  { file, base: { type: kind, maxAttempt: 2, ...base }, place: (v) => flow({}, { retry: v }), at: 'tasks[0].retry' },
];

const HOLDERS: readonly Holder[] = [
  ...retry('constant', 'tasks/retrys/Constant.java', { interval: 'PT1S' }),
  ...retry('exponential', 'tasks/retrys/Exponential.java', { interval: 'PT1S', maxInterval: 'PT10S' }),
  ...retry('random', 'tasks/retrys/Random.java', { minInterval: 'PT1S', maxInterval: 'PT2S' }),
  { file: 'tasks/WorkerGroup.java', base: { key: 'gpu' }, place: (v) => flow({}, { workerGroup: v }), at: 'tasks[0].workerGroup' },
  { file: 'flows/Concurrency.java', base: { limit: 1 }, place: (v) => flow({ concurrency: v }), at: 'concurrency' },
  { file: 'flows/PluginDefault.java', base: { type: 'io.kestra.plugin.core.log.Log', values: { level: 'WARN' } }, place: (v) => flow({ pluginDefaults: [v] }), at: 'pluginDefaults[0]' },
  { file: 'flows/Output.java', base: { id: 'o', type: 'STRING', value: 'x' }, place: (v) => flow({ outputs: [v] }), at: 'outputs[0]' },
  { file: 'flows/sla/types/MaxDurationSLA.java', base: { id: 's', type: 'MAX_DURATION', behavior: 'FAIL', duration: 'PT1H' }, place: (v) => flow({ sla: [v] }), at: 'sla[0]' },
  { file: 'flows/sla/types/ExecutionAssertionSLA.java', base: { id: 's', type: 'EXECUTION_ASSERTION', behavior: 'FAIL', assert: '{{ true }}' }, place: (v) => flow({ sla: [v] }), at: 'sla[0]' },
  { file: 'Label.java', base: { key: 'team', value: 'data' }, place: (v) => flow({ labels: [v] }), at: 'labels[0]' },
  { file: 'flows/DependsOn.java', base: { inputs: [] }, place: (v) => flow({}, {}, { dependsOn: v }), at: 'inputs[0].dependsOn' },
];

const tally = { implemented: 0, refused: [] as string[] };
const count = (name: string, verdict: PropertyVerdict) => {
  if (verdict.status === 'implemented') tally.implemented++;
  if (verdict.status === 'refused') tally.refused.push(name);
};

describe.skipIf(!found)("the classes Kestra's properties hold: every field implemented, or refused at deploy with a reason", () => {
  const classes = found ? new KestraClasses(mirrorPath) : undefined;

  afterAll(() => console.log(`Kestra model coverage: ${tally.implemented} properties implemented, ${tally.refused.length} refused (${tally.refused.join(', ')})`));

  it.each(HOLDERS.map((h) => [`${h.at} (${h.file})`, h] as const))('%s', (_, holder) => {
    const path = `${MODELS}${holder.file}`;
    expect(classes!.exists(path), path).toBe(true);
    const asGiven = issuesOf(holder.place(holder.base));
    const whole = verdictAt(asGiven, holder.at);
    if (whole.status === 'refused') {
      // Refused as a whole (e.g. workerGroup, an Enterprise feature): what it holds is refused with it.
      count(holder.at, whole);
      return;
    }
    expect(asGiven, 'the holder as given deploys').toEqual([]);
    const missing: string[] = [];
    for (const p of classes!.properties(path, new Set())) {
      if (Object.hasOwn(holder.base, p.name)) continue; // deployed above with a valid value
      const verdict = verdictAt(issuesOf(holder.place({ ...holder.base, [p.name]: sampleValue(p.type) })), `${holder.at}.${p.name}`);
      count(`${holder.at}.${p.name}`, verdict);
      if (verdict.status === 'missing') missing.push(`${p.name} (${p.source}): ${verdict.problem}`);
    }
    expect(missing, `fields of ${path} Chronicle neither implements nor refuses`).toEqual([]);
    const bogus = verdictAt(issuesOf(holder.place({ ...holder.base, notAKestraProperty: 'x' })), `${holder.at}.notAKestraProperty`);
    expect(bogus.status, `${holder.at} must refuse an unknown property`).toBe('missing');
  });
});
