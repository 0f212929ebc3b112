import { CORE_TASK_CATALOG, flowStreamId, FlowValidationError } from '@chronicle/domain';
import { WrongExpectedVersionError } from '@chronicle/event-store';
import { InMemoryEventStore } from '@chronicle/event-store/memory';
import { BENCHMARK01_FLOW } from '@chronicle/testing';
import { describe, expect, it } from 'vitest';
import { deployFlow } from './deploy-flow.js';
import { FlowRepository } from './flow-repository.js';

const NOW = '2025-01-01T00:00:00.000Z';
const STREAM = flowStreamId('benchmarks', 'benchmark01');
const CHANGED = BENCHMARK01_FLOW.replace('defaults: World', 'defaults: Chronicle');

function setup() {
  const store = new InMemoryEventStore();
  return { store, deps: { store, flows: new FlowRepository(store, CORE_TASK_CATALOG), clock: { now: () => NOW } } };
}

describe('deployFlow', () => {
  it('writes revision 1 of a new flow as FlowRevisionDeployed in flow-<namespace>.<id>', async () => {
    const { store, deps } = setup();
    const deployed = await deployFlow(deps, BENCHMARK01_FLOW, 'alice');

    expect(deployed).toMatchObject({ revision: 1, created: true, source: BENCHMARK01_FLOW });
    expect(deployed.definition).toMatchObject({ namespace: 'benchmarks', id: 'benchmark01', revision: 1 });
    const events = await store.readStream(STREAM);
    expect(STREAM).toBe('flow-benchmarks.benchmark01');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'FlowRevisionDeployed',
      position: deployed.position,
      data: { namespace: 'benchmarks', flowId: 'benchmark01', revision: 1, source: BENCHMARK01_FLOW, at: NOW },
      metadata: { actor: 'alice', occurredAt: NOW },
    });
  });

  it('returns the same revision and appends nothing when the source is unchanged', async () => {
    const { store, deps } = setup();
    await deployFlow(deps, BENCHMARK01_FLOW);
    const head = await store.headPosition();

    const again = await deployFlow(deps, BENCHMARK01_FLOW);

    expect(again).toMatchObject({ revision: 1, created: false });
    expect(again.position).toBeUndefined();
    expect(await store.headPosition()).toBe(head);
    expect(await store.readStream(STREAM)).toHaveLength(1);
  });

  it('appends revision 2 when the source changed, keeping revision 1', async () => {
    const { store, deps } = setup();
    await deployFlow(deps, BENCHMARK01_FLOW);

    const second = await deployFlow(deps, CHANGED);

    expect(second).toMatchObject({ revision: 2, created: true });
    expect(second.definition.revision).toBe(2);
    const events = await store.readStream(STREAM);
    expect(events.map((e) => (e.data as { revision: number; source: string }).revision)).toEqual([1, 2]);
    expect(events.map((e) => (e.data as { source: string }).source)).toEqual([BENCHMARK01_FLOW, CHANGED]);
    expect((await deps.flows.require('benchmarks', 'benchmark01', 1)).source).toBe(BENCHMARK01_FLOW);
    expect((await deps.flows.require('benchmarks', 'benchmark01')).revision).toBe(2);
  });

  it('rejects invalid YAML with FlowValidationError (with the line) and writes nothing', async () => {
    const { store, deps } = setup();
    const broken = 'id: broken\nnamespace: x\ntasks:\n  - id: a\n    type: Log\n   message: [unclosed\n';

    const error = await deployFlow(deps, broken).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(FlowValidationError);
    expect((error as FlowValidationError).code).toBe('FLOW_INVALID');
    expect((error as Error).message).toMatch(/line \d+/);
    expect(await store.headPosition()).toBeUndefined();
  });

  it('rejects a flow with an unknown task type and writes nothing', async () => {
    const { store, deps } = setup();
    const error = await deployFlow(deps, 'id: u\nnamespace: bad.input\ntasks:\n  - id: a\n    type: io.example.Nope\n').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FlowValidationError);
    expect((error as Error).message).toMatch(/io\.example\.Nope/);
    expect(await store.headPosition()).toBeUndefined();
  });

  it('never lets two concurrent deploys of different sources overwrite each other', async () => {
    const { store, deps } = setup();

    const results = await Promise.allSettled([deployFlow(deps, BENCHMARK01_FLOW), deployFlow(deps, CHANGED)]);

    const events = await store.readStream(STREAM);
    const written = events.map((e) => e.data as { revision: number; source: string });
    // Revisions are dense and each is written once.
    expect(written.map((w) => w.revision)).toEqual(written.map((_, i) => i + 1));
    for (const result of results) {
      if (result.status === 'fulfilled') {
        // What a deploy reports is what the stream holds at that revision.
        expect(written[result.value.revision - 1]!.source).toBe(result.value.source);
      } else {
        expect(result.reason).toBeInstanceOf(WrongExpectedVersionError);
      }
    }
    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    expect(written).toHaveLength(fulfilled.length);
    // Both read "no revision yet": the second append fails its expectation instead of writing a second revision 1.
    expect(fulfilled).toHaveLength(1);

    // The loser's deploy succeeds when retried, as the next revision.
    const loser = results[0].status === 'rejected' ? BENCHMARK01_FLOW : CHANGED;
    const retried = await deployFlow(deps, loser);
    expect(retried).toMatchObject({ revision: 2, created: true });
    expect((await store.readStream(STREAM)).map((e) => (e.data as { source: string }).source)).toEqual([
      loser === CHANGED ? BENCHMARK01_FLOW : CHANGED,
      loser,
    ]);
  });
});
