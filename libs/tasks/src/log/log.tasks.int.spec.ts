import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { LOG_BARRIER_CHANNEL, logBarrierMessage, logLineMessage } from '@chronicle/contracts';
import { InProcessMessageBus } from '@chronicle/messaging';
import { createReadModel, LogProjector, type ReadModel } from '@chronicle/read-model';
import { ExecutionLogStore } from '@chronicle/stores';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '@chronicle/testing';
import { runnerOf } from '../catalog.js';
import { ioTestServices } from '../test-support/io-test-services.js';

let io: Awaited<ReturnType<typeof ioTestServices>>;
let db: TestDatabase;
let readModel: ReadModel;
let pool: pg.Pool;

// The logs live in the read model (its migrations make the tables); the projection fills them.
beforeAll(async () => {
  io = await ioTestServices('log_tasks');
  db = await createTestDatabase('log_tasks_rm');
  readModel = await createReadModel(db.url, { migrate: true });
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  pool.on('error', () => undefined);
  for (const [id, flowId] of [['e1', 'etl'], ['e2', 'etl'], ['x1', 'other']]) {
    await pool.query(
      `INSERT INTO executions (id, namespace, flow_id, flow_revision, state, state_history, inputs, labels, original_id, start_date, revision, doc, updated_at)
       VALUES ($1, 'company.team', $2, 1, 'RUNNING', '[]', '{}', '{}', $1, now(), 1, '{}', now())`, [id, flowId],
    );
  }
  const line = (executionId: string, taskId: string, level: string, message: string, at: string) =>
    pool.query('INSERT INTO logs (execution_id, task_run_id, task_id, level, message, "timestamp") VALUES ($1, $2, $3, $4, $5, $6)', [executionId, `${executionId}.0`, taskId, level, message, at]);
  await line('e1', 'a', 'DEBUG', 'debug line', '2026-01-01T00:00:01Z');
  await line('e1', 'a', 'INFO', 'info a', '2026-01-01T00:00:02Z');
  await line('e1', 'b', 'WARN', 'warn b', '2026-01-01T00:00:03Z');
  await line('e2', 'a', 'ERROR', 'other execution', '2026-01-02T00:00:00Z');
  await line('x1', 'a', 'INFO', 'other flow', '2026-01-01T00:00:00Z');
});
afterAll(async () => {
  await pool.end();
  await readModel.close();
  await db.drop();
  await io.close();
});

const run = async (type: string, properties: Record<string, unknown>, executionId = 'e1') => {
  const made = io.context(type, properties as never, { executionId });
  const context = { ...made.context, services: { ...io.services, logs: new ExecutionLogStore(pool) } };
  return runnerOf(type)!(context);
};
const lines = async (uri: unknown) => (await io.services.storage.get(String(uri))).toString().trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));

// Kestra: core/src/test/java/io/kestra/plugin/core/log/FetchTest.java, PurgeLogsTest.java
describe('log tasks', () => {
  it('Fetch writes the execution\'s lines at INFO and above to a file (FetchTest)', async () => {
    const out = await run('log.Fetch', {});
    expect(out.size).toBe(2);
    expect((await lines(out.uri)).map((l) => l.message)).toEqual(['info a', 'warn b']);
    expect((await lines(out.uri))[0]).toMatchObject({ namespace: 'company.team', flowId: 'etl', executionId: 'e1', taskId: 'a', level: 'INFO' });
  });

  it('Fetch filters by tasksId and level, and reads another execution of the flow', async () => {
    expect((await run('log.Fetch', { tasksId: ['b'] })).size).toBe(1);
    expect((await run('log.Fetch', { level: 'DEBUG' })).size).toBe(3);
    expect((await run('log.Fetch', { executionId: 'e2', level: 'ERROR' })).size).toBe(1);
    await expect(run('log.Fetch', { executionId: 'x1' })).rejects.toThrow('execution x1 does not exist in flow company.team.etl');
  });

  it('PurgeLogs deletes by flow, level and time window and counts (PurgeLogsTest)', async () => {
    expect(await run('log.PurgeLogs', { namespace: 'company.team', flowId: 'etl', logLevels: ['DEBUG'], endDate: '2026-12-31T00:00:00Z' })).toEqual({ count: 1 });
    expect(await run('log.PurgeLogs', { namespace: 'company.team', flowId: 'etl', startDate: '2026-01-01T12:00:00Z', endDate: '2026-12-31T00:00:00Z' })).toEqual({ count: 1 });
    expect((await pool.query('SELECT message FROM logs ORDER BY id')).rows.map((r) => r.message)).toEqual(['info a', 'warn b', 'other flow']);
    await expect(run('log.PurgeLogs', { endDate: 'yesterday' })).rejects.toThrow('endDate must be an ISO-8601 date-time');
  });

  it('reaches only its own namespace: another namespace\'s logs are neither read nor purged, with or without a namespace named', async () => {
    await pool.query(
      `INSERT INTO executions (id, namespace, flow_id, flow_revision, state, state_history, inputs, labels, original_id, start_date, revision, doc, updated_at)
       VALUES ('y1', 'team.b', 'secret', 1, 'RUNNING', '[]', '{}', '{}', 'y1', now(), 1, '{}', now())`,
    );
    await pool.query('INSERT INTO logs (execution_id, task_run_id, task_id, level, message, "timestamp") VALUES ($1, $2, $3, $4, $5, $6)', ['y1', 'y1.0', 'a', 'INFO', 'team b line', '2026-01-01T00:00:00Z']);
    await expect(run('log.Fetch', { executionId: 'y1', namespace: 'team.b', flowId: 'secret' })).rejects.toThrow('a flow of namespace company.team may not reach the logs of namespace team.b');
    await expect(run('log.PurgeLogs', { namespace: 'team.b', endDate: '2026-12-31T00:00:00Z' })).rejects.toThrow('CHRONICLE_NAMESPACE_ALLOW');
    await run('log.PurgeLogs', { endDate: '2026-12-31T00:00:00Z' });
    expect((await pool.query(`SELECT message FROM logs WHERE execution_id = 'y1'`)).rows.map((r) => r.message)).toEqual(['team b line']);
  });

  it('Fetch waits until the log projection stored the lines published before it (a barrier behind them)', async () => {
    const bus = new InProcessMessageBus();
    const logs = new ExecutionLogStore(pool);
    const logsStored = (executionId: string) => {
      const barrier = randomUUID();
      return logs.afterBarrier(LOG_BARRIER_CHANNEL, barrier, () => bus.publish('chronicle.logs', [{ key: executionId, value: logBarrierMessage({ executionId, barrier }) }]), 30_000);
    };
    await bus.ensureTopics(['chronicle.logs', 'chronicle.updates']);
    // Two lines of an earlier task are on the topic; the projection has not stored them yet.
    const line = (message: string) => ({ key: 'e3', value: logLineMessage({ executionId: 'e3', taskRunId: 'e3.0', taskId: 'a', level: 'INFO', message, timestamp: '2026-01-03T00:00:00Z' }) });
    await bus.publish('chronicle.logs', [line('first'), line('second')]);
    const made = io.context('log.Fetch', {} as never, { executionId: 'e3' });
    const fetching = runnerOf('log.Fetch')!({ ...made.context, services: { ...io.services, logs, logsStored } });
    // Without the barrier, Fetch would have read the empty store by now.
    await new Promise((r) => setTimeout(r, 300));
    const projector = new LogProjector(readModel.dataSource, bus, { groupId: 'barrier-test' });
    await projector.start();
    try {
      const out = await fetching;
      expect(out.size).toBe(2);
      expect((await lines(out.uri)).map((l) => l.message)).toEqual(['first', 'second']);
      // The execution's row is not in the read model yet: the lines carry the flow the task runs in.
      expect((await lines(out.uri))[0]).toMatchObject({ namespace: 'company.team', executionId: 'e3' });
    } finally {
      await projector.stop();
    }
  });

  it('afterBarrier answers false when no projection passes the barrier in time', async () => {
    expect(await new ExecutionLogStore(pool).afterBarrier(LOG_BARRIER_CHANNEL, randomUUID(), async () => undefined, 200)).toBe(false);
  });
});
