import { findStalledExecutions, LeaderLock, NamedLocks, TaskRunLeases } from '@chronicle/stores';
import { InProcessMessageBus, topicNames } from '@chronicle/messaging';
import { createReadModel } from '@chronicle/read-model';
import { createLogger, type Clock } from '@chronicle/runtime';
import { createTestDatabase, type TestDatabase } from '@chronicle/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TaskRunHealthService, type TaskRunHealthDeps } from './task-run-health.service.js';
import { parseCommandsMessage } from '@chronicle/contracts';

const topics = topicNames('health-test');
const NOW = new Date('2025-01-01T12:00:00.000Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();
let db: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase('health');
  const readModel = await createReadModel(db.url, { migrate: true });
  await readModel.close();
  pool = new pg.Pool({ connectionString: db.url });
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

async function execution(id: string, state: string, updatedMinutesAgo: number) {
  await pool.query(
    `INSERT INTO executions (id, namespace, flow_id, flow_revision, state, state_history, inputs, labels, original_id, start_date, revision, doc, updated_at)
     VALUES ($1, 'ns', 'f', 1, $2, '[]', '{}', '{}', $1, $3, 1, '{}', $3)`,
    [id, state, minutesAgo(updatedMinutesAgo)],
  );
}

async function taskRun(id: string, executionId: string, state: string, attempts: object[]) {
  await pool.query(
    `INSERT INTO task_runs (id, execution_id, seq, task_id, state, state_history, attempts, revision) VALUES ($1, $2, 0, 't', $3, '[]', $4, 1)`,
    [id, executionId, state, JSON.stringify(attempts)],
  );
}

/** The service's ports on the real Postgres, as the platform binds them. */
async function healthDeps(bus: InProcessMessageBus, clock: Clock): Promise<TaskRunHealthDeps> {
  const logger = createLogger('health-test', 'silent');
  const leases = new TaskRunLeases(pool);
  const namedLocks = new NamedLocks(pool);
  await Promise.all([leases.ensureSchema(), namedLocks.ensureSchema()]);
  return {
    leases, namedLocks, bus, topics, clock, logger,
    stalledExecutions: (since, limit) => findStalledExecutions(pool, since, limit),
    leadership: (name, role) => new LeaderLock(db.url, name, logger, role),
  };
}

describe('TaskRunHealthService (real Postgres, read-model tables)', () => {
  it('takes over attempts whose worker went silent, leaves renewed and short ones alone, and reports stalled executions', async () => {
    await execution('e1', 'RUNNING', 0);
    await taskRun('e1.0', 'e1', 'RUNNING', [{ number: 1, state: 'FAILED' }, { number: 2, state: 'RUNNING', startDate: minutesAgo(5) }]); // silent: expired
    await taskRun('e1.1', 'e1', 'RUNNING', [{ number: 1, state: 'RUNNING', startDate: minutesAgo(5) }]); // renewed recently
    await taskRun('e1.2', 'e1', 'RUNNING', [{ number: 1, state: 'RUNNING', startDate: minutesAgo(0.2) }]); // younger than the lease
    await taskRun('e1.3', 'e1', 'RUNNING', []); // a flowable parent: no worker attempt
    await taskRun('e1.4', 'e1', 'SUCCESS', [{ number: 1, state: 'SUCCESS', startDate: minutesAgo(5) }]);
    await execution('e2', 'KILLED', 30);
    await taskRun('e2.0', 'e2', 'RUNNING', [{ number: 1, state: 'RUNNING', startDate: minutesAgo(30) }]); // its execution ended
    await execution('e3', 'RUNNING', 20); // no progress for 20 minutes
    const leases = new TaskRunLeases(pool);
    await leases.ensureSchema();
    await leases.renew([
      { executionId: 'e1', taskRunId: 'e1.1', attempt: 1, workerId: 'w1', at: minutesAgo(0.1) },
      { executionId: 'e1', taskRunId: 'e1.0', attempt: 1, workerId: 'w1', at: minutesAgo(0.1) }, // an older attempt's renewal does not count
    ]);

    const bus = new InProcessMessageBus();
    await bus.ensureTopics(Object.values(topics));
    const service = new TaskRunHealthService(
      await healthDeps(bus, { now: () => NOW.toISOString() }),
      { leaseMs: 60_000, stalledAfterMs: 15 * 60_000, takeOverExpiredLeases: true },
    );
    await service.start();
    const report = await service.check();
    await service.stop();

    expect(report.expiredLeases).toBe(1);
    // Read as the executor does: through the commands contract.
    expect(bus.retained(topics.commands).map((r) => ({ key: r.key, value: parseCommandsMessage(JSON.parse(r.value!)) }))).toEqual([
      { key: 'e1', value: { type: 'ExpireTaskRunLease', executionId: 'e1', taskRunId: 'e1.0', attempt: 2, now: NOW.toISOString() } },
    ]);
    expect(report.stalledExecutions.map((s) => s.id)).toEqual(['e3']);
    expect(service.lastReport).toEqual(report);
    await bus.close();
  });

  it('releases, by their lease, the named-lock claims of holders that ended without their release arriving', async () => {
    // Claims are stamped with the database's clock: the check runs as if five minutes later.
    const later = new Date(Date.now() + 5 * 60_000).toISOString();
    await execution('l1', 'RUNNING', 0);
    await execution('l2', 'FAILED', 0);
    const locks = new NamedLocks(pool);
    await locks.ensureSchema();
    const claim = (executionId: string, name: string) => ({ executionId, holder: executionId, names: [name], namespace: 'ns', flowId: 'f', priority: 0, requestedAt: NOW.toISOString() });
    await locks.acquire(claim('l1', 'alive'));
    await locks.acquire(claim('l2', 'orphaned'));

    const bus = new InProcessMessageBus();
    await bus.ensureTopics(Object.values(topics));
    const service = new TaskRunHealthService(
      await healthDeps(bus, { now: () => later }),
      { leaseMs: 60_000, takeOverExpiredLeases: true },
    );
    await service.start();
    const report = await service.check();
    await service.stop();

    expect(report.staleLockClaims).toBe(1);
    const sent = bus.retained(topics.commands).map((r) => JSON.parse(r.value!)).filter((m) => m.type === 'ReleaseLocks');
    expect(sent).toEqual([{ type: 'ReleaseLocks', executionId: 'l2', holder: 'l2', releasedAt: later }]);
    await bus.close();
  });
});
