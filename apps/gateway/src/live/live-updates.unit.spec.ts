import { describe, expect, it } from 'vitest';
import { updateMessage } from '@chronicle/contracts';
import { InProcessMessageBus, topicNames } from '@chronicle/messaging';
import { diffExecutionView, type ExecutionUpdate, type ExecutionView } from '@chronicle/read-model';
import { eventually } from '@chronicle/testing';
import { LiveUpdates, type LiveUpdate } from './live-updates.js';

const view = (revision: number, extra: Partial<ExecutionView> = {}): ExecutionView => ({
  id: 'e1', namespace: 'live', flowId: 'f', flowRevision: 1, state: 'RUNNING', stateHistory: [], inputs: {}, labels: {}, taskRuns: [],
  originalId: 'e1', startDate: '2025-01-01T00:00:00.000Z', revision, ...extra,
});

// As the projection publishes them: stamped with the updates contract's schemaVersion.
const update = (before: ExecutionView | undefined, after: ExecutionView) => updateMessage<ExecutionUpdate>({
  kind: 'execution', executionId: after.id, namespace: after.namespace, flowId: after.flowId, revision: after.revision, position: String(after.revision + 100),
  state: after.state, mode: 'PRODUCTIVE', change: diffExecutionView(before, after), events: [],
});

const silent = { warn: () => undefined, error: () => undefined, info: () => undefined, debug: () => undefined } as never;

/** The gateway's side of the updates topic, over the in-process bus: deltas in, whole views out. */
describe('live updates', () => {
  it('applies the deltas to the view it holds, and folds the log only when a listened execution lacks the base', async () => {
    const bus = new InProcessMessageBus();
    const topics = topicNames('live-unit');
    await bus.ensureTopics([topics.updates]);
    const loads: Array<[string, number]> = [];
    const fromLog = new Map<number, ExecutionView>([[7, view(7, { state: 'PAUSED' })]]);
    const live = new LiveUpdates(bus, topics, 'unit', silent, async (id, revision) => {
      loads.push([id, revision]);
      return fromLog.get(revision);
    });
    await live.start();
    const seen: LiveUpdate[] = [];
    const stop = live.onExecution('e1', (u) => seen.push(u));

    const v0 = view(0);
    const v1 = view(1, { taskRuns: [{ id: 't1', taskId: 't', state: 'RUNNING', stateHistory: [], attempts: [] }] });
    const v2 = view(2, { state: 'SUCCESS', endDate: '2025-01-01T00:00:05.000Z', taskRuns: [{ id: 't1', taskId: 't', state: 'SUCCESS', stateHistory: [], attempts: [] }] });
    await bus.publish(topics.updates, [update(undefined, v0), update(v0, v1), update(v1, v2)].map((value) => ({ key: 'e1', value })));
    await eventually('three views', async () => seen.length === 3);
    expect(seen.map((u) => (u.kind === 'execution' ? u.view : undefined))).toEqual([v0, v1, v2]);
    expect(loads).toEqual([]);

    // An update whose base this gateway never saw (lost, or before it started): the view at that revision, from the log.
    await bus.publish(topics.updates, [{ key: 'e1', value: update(view(6), view(7, { state: 'PAUSED' })) }]);
    await eventually('the loaded view', async () => seen.length === 4);
    expect(seen[3]).toMatchObject({ kind: 'execution', revision: 7, view: view(7, { state: 'PAUSED' }) });
    expect(loads).toEqual([['e1', 7]]);

    // Nobody listens to e2: its deltas are not worth a read of the log.
    await bus.publish(topics.updates, [{ key: 'e2', value: update(view(3, { id: 'e2' }), view(4, { id: 'e2' })) }]);
    await bus.publish(topics.updates, [{ key: 'e1', value: update(view(7, { state: 'PAUSED' }), view(8)) }]);
    await eventually('the next e1 view', async () => seen.length === 5);
    expect(loads).toEqual([['e1', 7]]);
    stop();
    await live.stop();
    await bus.close();
  });

  it('builds no view of an execution nobody listens to; a listener that comes later gets the view from the log, then deltas again', async () => {
    const bus = new InProcessMessageBus();
    const topics = topicNames('live-unit-unwatched');
    await bus.ensureTopics([topics.updates]);
    const loads: Array<[string, number]> = [];
    const v0 = view(0, { id: 'e5' });
    const v1 = view(1, { id: 'e5', taskRuns: [{ id: 't1', taskId: 't', state: 'RUNNING', stateHistory: [], attempts: [] }] });
    const v2 = view(2, { id: 'e5', state: 'SUCCESS' });
    const live = new LiveUpdates(bus, topics, 'unit', silent, async (id, revision) => {
      loads.push([id, revision]);
      return revision === 1 ? v1 : undefined;
    });
    await live.start();
    const states: string[] = [];
    live.onExecutionState((_, state) => states.push(state));
    await bus.publish(topics.updates, [update(undefined, v0)].map((value) => ({ key: 'e5', value })));
    await eventually('the first state', async () => states.length === 1);
    expect(live.heldViews).toBe(0);

    const seen: LiveUpdate[] = [];
    const stop = live.onExecution('e5', (u) => seen.push(u));
    await bus.publish(topics.updates, [update(v0, v1), update(v1, v2)].map((value) => ({ key: 'e5', value })));
    await eventually('two views', async () => seen.length === 2);
    expect(seen.map((u) => (u.kind === 'execution' ? u.view : undefined))).toEqual([v1, v2]);
    // Only the first listened update needed the log; the next one was a delta on the held view.
    expect(loads).toEqual([['e5', 1]]);
    expect(live.heldViews).toBe(1);
    stop();
    await live.stop();
    await bus.close();
  });

  it('tells state listeners every execution\'s state without building or loading a view (admission control follows ends this way)', async () => {
    const bus = new InProcessMessageBus();
    const topics = topicNames('live-unit-states');
    await bus.ensureTopics([topics.updates]);
    const loads: string[] = [];
    const live = new LiveUpdates(bus, topics, 'unit', silent, async (id) => {
      loads.push(id);
      return undefined;
    });
    await live.start();
    const states: Array<[string, string]> = [];
    const stop = live.onExecutionState((executionId, state) => states.push([executionId, state]));
    // e3's base was never seen here: a view listener would need the log, a state listener does not.
    await bus.publish(topics.updates, [
      { key: 'e3', value: update(view(4, { id: 'e3' }), view(5, { id: 'e3', state: 'SUCCESS' })) },
      { key: 'e4', value: update(undefined, view(0, { id: 'e4', state: 'FAILED' })) },
    ]);
    await eventually('both states', async () => states.length === 2);
    expect(states).toEqual([['e3', 'SUCCESS'], ['e4', 'FAILED']]);
    expect(loads).toEqual([]);
    stop();
    await live.stop();
    await bus.close();
  });
});
