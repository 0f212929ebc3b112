import { afterAll, beforeEach, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createReadModel, type ReadModel } from '@chronicle/read-model';
import { executionPrefix } from '@chronicle/use-cases';
import { ExecutionAdminStore, ExecutionLogStore } from '@chronicle/stores';
import { executionStreamId, type JsonObject } from '@chronicle/domain';
import { NO_STREAM, StreamDeletedError, WrongExpectedVersionError } from '@chronicle/event-store';
import { PostgresEventStore } from '@chronicle/event-store/postgres';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '@chronicle/testing';
import { runnerOf } from '../catalog.js';
import { ioTestServices } from '../test-support/io-test-services.js';

let io: Awaited<ReturnType<typeof ioTestServices>>;
let db: TestDatabase;
let readModel: ReadModel;
let pool: pg.Pool;
let store: PostgresEventStore;

// [id, namespace, flowId, state, start, end]
const EXECUTIONS: [string, string, string, string, string, string | null][] = [
  ['e1', 'company.team', 'etl', 'SUCCESS', '2026-01-01T00:00:00Z', '2026-01-01T00:01:00Z'],
  ['e2', 'company.team', 'etl', 'FAILED', '2026-01-02T00:00:00Z', '2026-01-02T00:01:00Z'],
  ['e3', 'company.team', 'etl', 'RUNNING', '2026-01-03T00:00:00Z', null],
  ['o1', 'company.team', 'other', 'SUCCESS', '2026-01-01T00:00:00Z', '2026-01-01T00:01:00Z'],
  ['c1', 'company.team.sub', 'child', 'SUCCESS', '2026-01-01T00:00:00Z', '2026-01-01T00:01:00Z'],
  ['s1', 'secret.ns', 'payroll', 'SUCCESS', '2026-01-01T00:00:00Z', '2026-01-01T00:01:00Z'],
];

beforeAll(async () => {
  io = await ioTestServices('execution_admin_tasks');
  db = await createTestDatabase('execution_admin_tasks_rm');
  readModel = await createReadModel(db.url, { migrate: true });
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
  pool.on('error', () => undefined);
  store = new PostgresEventStore({ pool });
  await store.ensureSchema();
});
beforeEach(async () => {
  await pool.query('TRUNCATE executions, task_runs, logs, purged_executions');
  for (const [id, namespace, flowId, state, start, end] of EXECUTIONS) {
    await pool.query(
      `INSERT INTO executions (id, namespace, flow_id, flow_revision, state, state_history, inputs, labels, original_id, start_date, end_date, revision, doc, updated_at)
       VALUES ($1, $2, $3, 1, $4, '[]', '{}', '{}', $1, $5, $6, 1, '{}', now())`, [id, namespace, flowId, state, start, end],
    );
    // Each execution's task run reports two metrics on its first attempt and one on its second.
    await pool.query(
      `INSERT INTO task_runs (id, execution_id, seq, task_id, state, state_history, attempts, revision)
       VALUES ($1, $2, 0, 'a', 'SUCCESS', '[]', $3, 1)`,
      [`${id}.0`, id, JSON.stringify([
        { number: 1, state: 'FAILED', metrics: [{ name: 'rows', type: 'counter', value: 3 }, { name: 'load', type: 'timer', value: 12 }] },
        { number: 2, state: 'SUCCESS', metrics: [{ name: 'rows', type: 'counter', value: 5 }] },
      ])],
    );
    await pool.query('INSERT INTO logs (execution_id, task_run_id, task_id, level, message, "timestamp") VALUES ($1, $2, $3, $4, $5, $6)', [id, `${id}.0`, 'a', 'INFO', `line of ${id}`, start]);
    await io.services.storage.put(`${executionPrefix({ namespace, flowId, executionId: id })}tasks/a/${id}.0/out.txt`, Buffer.from(id));
    // A stream an earlier case purged stays deleted (a tombstone): only the first case reads it.
    await store.append(executionStreamId(id), [{ id: randomUUID(), type: 'Noted', data: {}, metadata: { schemaVersion: 1, occurredAt: start } }], NO_STREAM)
      .catch((error: Error) => { if (!(error instanceof StreamDeletedError) && !(error instanceof WrongExpectedVersionError)) throw error; });
  }
});
afterAll(async () => {
  await store.close();
  await pool.end();
  await readModel.close();
  await db.drop();
  await io.close();
});

/** Runs `type` as a task of execution e3 of company.team/etl (the live one). */
const run = async (type: string, properties: JsonObject, namespaceAllow: { from: string; to: string }[] = []) => {
  const made = io.context(type, properties, { executionId: 'e3', taskRunId: 'e3.0' });
  const services = { ...io.services, logs: new ExecutionLogStore(pool), executions: new ExecutionAdminStore(pool, store, io.services.storage), namespaceAllow };
  return runnerOf(type)!({ ...made.context, services });
};
const remaining = async () => (await pool.query('SELECT id FROM executions ORDER BY id')).rows.map((r) => r.id);

// Kestra: core/src/main/java/io/kestra/plugin/core/execution/Count.java (its documented example:
// `expression: "{{ count == 0 }}"` over `flows` since `startDate`) and the repository's
// executionCounts (a flow asked for with no execution counts 0; `namespaces` count per namespace).
describe('execution.Count', () => {
  it('keeps the flows whose count the expression accepts, a flow without executions counting 0', async () => {
    const flows = [{ namespace: 'company.team', flowId: 'etl' }, { namespace: 'company.team', flowId: 'never-ran' }];
    expect(await run('execution.Count', { flows, startDate: '2025-12-01T00:00:00Z', endDate: '2026-02-01T00:00:00Z', expression: '{{ count == 0 }}' }))
      .toEqual({ results: [{ namespace: 'company.team', flowId: 'never-ran', count: 0 }], total: 0 });
    expect(await run('execution.Count', { flows, startDate: '2025-12-01T00:00:00Z', endDate: '2026-02-01T00:00:00Z', expression: '{{ count >= 1 }}' }))
      .toEqual({ results: [{ namespace: 'company.team', flowId: 'etl', count: 3 }], total: 3 });
  });

  it('filters by states and the start-date window, and counts whole namespaces', async () => {
    const flows = [{ namespace: 'company.team', flowId: 'etl' }];
    expect(await run('execution.Count', { flows, states: ['SUCCESS', 'FAILED'], startDate: '2026-01-01T12:00:00Z', endDate: '2026-02-01T00:00:00Z', expression: '{{ count > 0 }}' }))
      .toEqual({ results: [{ namespace: 'company.team', flowId: 'etl', count: 1 }], total: 1 });
    expect(await run('execution.Count', { namespaces: ['company.team'], startDate: '2025-12-01T00:00:00Z', endDate: '2026-02-01T00:00:00Z', expression: '{{ count > 0 }}' }))
      .toEqual({ results: [{ namespace: 'company.team', count: 4 }], total: 4 });
  });

  it('refuses another namespace unless CHRONICLE_NAMESPACE_ALLOW allows it, and needs flows or namespaces', async () => {
    const props = { flows: [{ namespace: 'secret.ns', flowId: 'payroll' }], startDate: '2025-12-01T00:00:00Z', endDate: '2026-02-01T00:00:00Z', expression: '{{ count > 0 }}' };
    await expect(run('execution.Count', props)).rejects.toThrow('a flow of namespace company.team may not reach the executions of namespace secret.ns');
    expect(await run('execution.Count', props, [{ from: 'company.team', to: 'secret.ns' }])).toEqual({ results: [{ namespace: 'secret.ns', flowId: 'payroll', count: 1 }], total: 1 });
    await expect(run('execution.Count', { startDate: '2025-12-01T00:00:00Z', expression: '{{ count > 0 }}' })).rejects.toThrow('You must provide a list of flows or namespaces');
  });
});

// Kestra: core/src/test/java/io/kestra/plugin/core/execution/PurgeExecutionsTest.java (`run`: a
// SUCCESS execution of the flow, purged with namespace + flowId and an endDate after it: count 1)
// and PurgeExecutions.java (defaults: purgeExecution, purgeLog, purgeMetric, purgeStorage true).
describe('execution.PurgeExecutions', () => {
  it('purges the flow\'s ended executions: rows, logs, files and event streams; a live one stays (PurgeExecutionsTest.run)', async () => {
    const out = await run('execution.PurgeExecutions', { namespace: 'company.team', flowId: 'etl', endDate: '2026-06-01T00:00:00Z' });
    expect(out).toEqual({ executionsCount: 2, logsCount: 2, storagesCount: 2, metricsCount: 6 });
    expect(await remaining()).toEqual(['c1', 'e3', 'o1', 's1']);
    expect((await pool.query('SELECT id, stream_deleted FROM purged_executions ORDER BY id')).rows).toEqual([{ id: 'e1', stream_deleted: true }, { id: 'e2', stream_deleted: true }]);
    expect(await store.readStream(executionStreamId('e1'))).toEqual([]);
    expect(await io.services.storage.list(executionPrefix({ namespace: 'company.team', flowId: 'etl', executionId: 'e1' }))).toEqual([]);
    expect((await pool.query("SELECT count(*)::int AS n FROM logs WHERE execution_id = 'e3'")).rows[0].n).toBe(1);
  });

  it('keeps to states, the date window and the flags', async () => {
    expect(await run('execution.PurgeExecutions', { namespace: 'company.team', flowId: 'etl', states: ['FAILED'], endDate: '2026-06-01T00:00:00Z', purgeStorage: false }))
      .toEqual({ executionsCount: 1, logsCount: 1, storagesCount: 0, metricsCount: 3 });
    expect(await remaining()).toEqual(['c1', 'e1', 'e3', 'o1', 's1']);
    expect(await run('execution.PurgeExecutions', { namespace: 'company.team', flowId: 'etl', endDate: '2026-01-01T00:00:30Z' }))
      .toEqual({ executionsCount: 0, logsCount: 0, storagesCount: 0, metricsCount: 0 });
    expect(await run('execution.PurgeExecutions', { namespace: 'company.team', flowId: 'etl', endDate: '2026-06-01T00:00:00Z', purgeExecution: false, purgeMetric: false, purgeStorage: false }))
      .toEqual({ executionsCount: 0, logsCount: 1, storagesCount: 0, metricsCount: 0 });
    expect(await remaining()).toEqual(['c1', 'e1', 'e3', 'o1', 's1']);
    // Metrics go with their execution (they live in its history): one without the other is refused.
    await expect(run('execution.PurgeExecutions', { namespace: 'company.team', flowId: 'etl', endDate: '2026-06-01T00:00:00Z', purgeExecution: false }))
      .rejects.toThrow('purgeMetric must equal purgeExecution');
    expect((await pool.query("SELECT count(*)::int AS n FROM task_runs WHERE execution_id = 'e1'")).rows[0].n).toBe(1);
  });

  it('without namespace purges only the flow\'s own namespace and its children, never another by default', async () => {
    expect((await run('execution.PurgeExecutions', { endDate: '2026-06-01T00:00:00Z' })).executionsCount).toBe(4);
    expect(await remaining()).toEqual(['e3', 's1']);
  });

  it('refuses another namespace unless CHRONICLE_NAMESPACE_ALLOW allows it; a `*` rule lets it purge everywhere', async () => {
    await expect(run('execution.PurgeExecutions', { namespace: 'secret.ns', endDate: '2026-06-01T00:00:00Z' }))
      .rejects.toThrow('a flow of namespace company.team may not reach the executions of namespace secret.ns: only its own namespace, its children, or one allowed by CHRONICLE_NAMESPACE_ALLOW');
    await expect(run('execution.PurgeExecutions', { namespace: 'company', endDate: '2026-06-01T00:00:00Z' })).rejects.toThrow('may not reach the executions of namespace company');
    expect(await remaining()).toHaveLength(6);
    expect((await run('execution.PurgeExecutions', { endDate: '2026-06-01T00:00:00Z' }, [{ from: 'company.team', to: '*' }])).executionsCount).toBe(5);
    expect(await remaining()).toEqual(['e3']);
    await expect(run('execution.PurgeExecutions', { flowId: 'etl', endDate: '2026-06-01T00:00:00Z' })).rejects.toThrow('flowId needs namespace');
  });
});
