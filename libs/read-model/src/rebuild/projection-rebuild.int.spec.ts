import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExecutionProjector } from '../projection/execution-projector.js';
import { ReadModelQueries } from '../queries/read-model-queries.js';
import { everyEventTypeLog, PROJECTED_EVENT_TYPES } from '../test-support/every-event-type.log.js';
import { dumpRebuiltTables } from '../test-support/read-model.dump.js';
import { startHarness, type Harness } from '../test-support/read-model.harness.js';
import { ProjectionRebuildService } from './projection-rebuild.service.js';
import { SHADOW_SCHEMA } from './shadow-schema.js';

const quiet = { warn: () => undefined, error: () => undefined };

describe('projection rebuild', () => {
  let h: Harness;
  let live: ExecutionProjector;
  let queries: ReadModelQueries;

  const appendAll = async (requests: ReturnType<typeof everyEventTypeLog>) => {
    for (const request of requests) await h.store.appendMany([request]);
  };
  const settle = async () => {
    const head = await h.store.headPosition();
    if (head !== undefined) await live.waitForPosition(head, 30_000);
  };
  const rebuild = async (options: { batchSize?: number } = {}) => {
    await queries.requestProjectionRebuild('executions', 'test');
    const service = new ProjectionRebuildService(h.dataSource, h.store, live, { logger: quiet, batchSize: options.batchSize ?? 64 });
    return service.runPending();
  };

  /** Every index of the rebuilt tables in the live schema, as PostgreSQL defines it. */
  const indexDefinitions = async (): Promise<{ name: string; definition: string }[]> =>
    h.dataSource.query(
      `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
        WHERE schemaname = current_schema() AND tablename = ANY($1::text[]) ORDER BY indexname`,
      [['executions', 'task_runs', 'flows', 'flow_revisions', 'audit_log']],
    );

  beforeEach(async () => {
    h = await startHarness();
    queries = new ReadModelQueries(h.dataSource);
    // Small live batches: the live tables are built in other batches than the rebuild's.
    live = new ExecutionProjector(h.dataSource, h.store, h.bus, { topicPrefix: 'test', batchSize: 7, logger: quiet });
    await live.start();
  });
  afterEach(async () => {
    await live.stop();
    await h.close();
  });

  it('replays a log with every event type into tables equal, row by row, to the live ones', async () => {
    await appendAll(everyEventTypeLog(6));
    await settle();
    const types = new Set((await h.store.readAll()).map((e) => e.type));
    expect(PROJECTED_EVENT_TYPES.filter((t) => !types.has(t))).toEqual([]);
    const before = await dumpRebuiltTables(h.dataSource);
    const indexesBefore = await indexDefinitions();
    expect(indexesBefore.filter((i) => i.name === 'executions_labels_idx')).toHaveLength(1);
    expect(before.executions.length).toBeGreaterThan(40);
    // The Labels task's ExecutionLabelsChanged reaches the executions row.
    const labelled = before.executions!.map((row) => JSON.parse(row) as { id: string; labels: unknown }).find((e) => e.id === 'labelled-00000');
    // (and, as on every execution Kestra creates, `system.correlationId`: its own id)
    expect(labelled?.labels).toEqual({ team: 'ops', stage: 'labelled', 'system.correlationId': 'labelled-00000' });
    expect(before.audit_log.length).toBe((await h.store.readAll()).length);

    // A damaged live row: only a real replay and swap can bring it back.
    await h.dataSource.query(`UPDATE executions SET state = 'DAMAGED', doc = '{}' WHERE id = 'ok-00003'`);
    await h.dataSource.query(`DELETE FROM task_runs WHERE execution_id = 'retry-00002'`);

    expect(await rebuild()).toBe('done');
    expect(await dumpRebuiltTables(h.dataSource)).toEqual(before);
    // The shadow loaded without its secondary indexes; every one is back, as defined, after the swap.
    expect(await indexDefinitions()).toEqual(indexesBefore);
    const [status] = await queries.projectionRebuilds();
    expect(status).toMatchObject({ name: 'executions', state: 'DONE', runs: 1, requestedBy: 'test', eventsProjected: (await h.store.readAll()).length });
    expect(BigInt(status!.position!)).toBe(await h.store.headPosition());
    expect(await queries.checkpoint()).toBe(await h.store.headPosition());
    // The shadow is gone; the live projector goes on after the swap.
    expect(await h.dataSource.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [SHADOW_SCHEMA])).toEqual([]);
    await appendAll(everyEventTypeLog(1, { start: Date.parse('2026-01-01T00:00:00.000Z'), idPrefix: 'late-', flows: false }));
    await settle();
    expect((await queries.getExecution('late-ok-00000'))?.state).toBe('SUCCESS');
  });

  it('ends with the same tables whatever its batch size: executions folded across batches from memory while the batch before is written', async () => {
    await appendAll(everyEventTypeLog(3));
    await settle();
    const before = await dumpRebuiltTables(h.dataSource);
    // 5 events a batch: most executions span several batches (their state is carried from the batch
    // being written); 100 000: the whole log in one batch.
    for (const batchSize of [5, 100_000]) {
      expect(await rebuild({ batchSize })).toBe('done');
      expect(await dumpRebuiltTables(h.dataSource)).toEqual(before);
    }
  });

  it('keeps serving while it runs, and ends where a rebuild from scratch ends', async () => {
    await appendAll(everyEventTypeLog(4));
    await settle();
    await queries.requestProjectionRebuild('executions', 'test');
    const service = new ProjectionRebuildService(h.dataSource, h.store, live, { logger: quiet, batchSize: 16 });
    const running = service.runPending();
    // Writes and reads go on during the rebuild: the live projection keeps serving them.
    const later = everyEventTypeLog(3, { start: Date.parse('2026-01-01T00:00:00.000Z'), idPrefix: 'during-', flows: false });
    for (const request of later) {
      await h.store.appendMany([request]);
      expect((await queries.getExecution('ok-00001'))?.state).toBe('SUCCESS');
    }
    expect(await running).toBe('done');
    await settle();
    const afterSwap = await dumpRebuiltTables(h.dataSource);
    expect(afterSwap.executions.filter((row) => row.includes('"id":"during-')).length).toBe(later.length);

    expect(await rebuild()).toBe('done');
    expect(await dumpRebuiltTables(h.dataSource)).toEqual(afterSwap);
  });

  it('answers the running rebuild to a second request, and refuses projections it cannot rebuild', async () => {
    const first = await queries.requestProjectionRebuild('executions', 'alice');
    const second = await queries.requestProjectionRebuild('executions', 'bob');
    expect(first.state).toBe('PENDING');
    expect(second).toMatchObject({ state: 'PENDING', requestedBy: 'alice' });
    await expect(queries.requestProjectionRebuild('logs', 'bob')).rejects.toMatchObject({ code: 'PROJECTION_NOT_FOUND' });
  });
});
