import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { executionStreamId } from '@chronicle/domain';
import { type EventData, type EventStore } from '@chronicle/event-store';
import { EventStoreDbEventStore } from '@chronicle/event-store/eventstoredb';
import { EsdbTestServer } from '@chronicle/testing';
import { ReadModelQueries } from '../queries/read-model-queries.js';
import { purgeExecutions } from '../retention/execution-purge.js';
import { benchmark01Events } from '../test-support/benchmark01.events.js';
import { startHarness, type Harness } from '../test-support/read-model.harness.js';
import { ExecutionProjector } from './execution-projector.js';

const quiet = { warn: () => undefined, error: () => undefined };
const withActor = (events: EventData[], actor: string): EventData[] => events.map((e) => ({ ...e, metadata: { ...e.metadata, actor } }));

describe('audit log and retention in the read model', () => {
  let h: Harness;
  let queries: ReadModelQueries;
  const projectors: ExecutionProjector[] = [];
  const projector = (store: EventStore = h.store) => {
    const p = new ExecutionProjector(h.dataSource, store, h.bus, { topicPrefix: 'test', logger: quiet });
    projectors.push(p);
    return p;
  };

  beforeEach(async () => {
    h = await startHarness();
    queries = new ReadModelQueries(h.dataSource);
  });
  afterEach(async () => {
    for (const p of projectors.splice(0)) await p.stop();
    await h.close();
  });

  it('projects one audit entry per event with its actor, per execution and per namespace, paged by cursor', async () => {
    await h.append(executionStreamId('x1'), withActor(benchmark01Events('x1'), 'alice'));
    const position = await h.append(executionStreamId('x2'), benchmark01Events('x2'));
    const p = projector();
    await p.start();
    await p.waitForPosition(position, 10_000);
    const x1 = await queries.audit({ executionId: 'x1' });
    expect(x1.map((e) => e.revision)).toEqual(benchmark01Events('x1').map((_, i) => i));
    expect(x1[0]).toMatchObject({ action: 'ExecutionCreated', actor: 'alice', executionId: 'x1', namespace: 'benchmarks', flowId: 'benchmark01', flowRevision: 1 });
    expect(new Set(x1.map((e) => e.actor))).toEqual(new Set(['alice']));
    expect((await queries.audit({ executionId: 'x2' }))[0]!.actor).toBe('unknown');
    const all = await queries.audit({ namespace: 'benchmarks', first: 500 });
    expect(all).toHaveLength(benchmark01Events('x').length * 2);
    const second = await queries.audit({ namespace: 'benchmarks', first: 3, after: all[2]!.cursor });
    expect(second.map((e) => e.cursor)).toEqual(all.slice(3, 6).map((e) => e.cursor));
  });

  it('keeps purged executions out when the log still returns their events (EventStoreDB before a scavenge)', async () => {
    const server = await EsdbTestServer.start();
    const store = new EventStoreDbEventStore({ connectionString: server.url });
    try {
      await store.append(executionStreamId('old'), benchmark01Events('old'), 'no_stream');
      const first = await store.append(executionStreamId('kept'), benchmark01Events('kept', { base: 100 }), 'no_stream');
      let p = projector(store);
      await p.start();
      await p.waitForPosition(first.position, 10_000);
      // benchmark01 ends in 2024: with `now` in 2100, both are old; the namespace and limit pick `old` (ended first).
      const now = new Date('2100-01-01T00:00:00Z');
      const request = { olderThanDays: 30, namespace: 'benchmarks', limit: 1, now };
      const dry = await purgeExecutions(h.dataSource, store, { ...request, dryRun: true });
      expect(dry).toEqual({ executionIds: ['old'], count: 1, dryRun: true });
      expect((await queries.getExecution('old'))?.id).toBe('old');
      expect(await store.readStream(executionStreamId('old'))).toHaveLength(benchmark01Events('old').length);
      const done = await purgeExecutions(h.dataSource, store, { ...request, dryRun: false, actor: 'admin' });
      expect(done).toEqual({ executionIds: ['old'], count: 1, dryRun: false });
      expect(await queries.getExecution('old')).toBeUndefined();
      expect(await queries.audit({ executionId: 'old' })).toEqual([]);
      expect(await store.readStream(executionStreamId('old'))).toEqual([]);
      expect(await h.dataSource.query('SELECT id, purged_by, stream_deleted FROM purged_executions')).toEqual([{ id: 'old', purged_by: 'admin', stream_deleted: true }]);
      // The tombstoned stream's events are still in $all: a replay from the start must not bring `old` back.
      expect((await store.readAll({ filter: { streamPrefixes: [executionStreamId('old')] } })).length).toBeGreaterThan(0);
      await p.stop();
      await h.dataSource.query('TRUNCATE executions, task_runs, audit_log, projection_checkpoints');
      p = projector(store);
      await p.start();
      await p.waitForPosition(first.position, 10_000);
      expect(await queries.getExecution('old')).toBeUndefined();
      expect((await queries.getExecution('kept'))?.id).toBe('kept');
    } finally {
      await store.close();
      await server.stop();
    }
  });
});
