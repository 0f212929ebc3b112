import { createTestDatabase, type TestDatabase } from '@chronicle/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TaskRunLeases } from './task-run-leases.js';

let db: TestDatabase;
let pool: pg.Pool;
beforeAll(async () => {
  db = await createTestDatabase('leases');
  pool = new pg.Pool({ connectionString: db.url });
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

describe('TaskRunLeases (real Postgres)', () => {
  it('records a batch holding several renewals of one attempt (a consumer that fell behind) as the latest of them', async () => {
    const leases = new TaskRunLeases(pool);
    await leases.ensureSchema();
    const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, s)).toISOString();
    await leases.renew([
      { executionId: 'e1', taskRunId: 'e1.0', attempt: 1, workerId: 'w1', at: at(1) },
      { executionId: 'e1', taskRunId: 'e1.0', attempt: 1, workerId: 'w2', at: at(3) },
      { executionId: 'e1', taskRunId: 'e1.0', attempt: 2, workerId: 'w1', at: at(2) },
      { executionId: 'e1', taskRunId: 'e1.0', attempt: 1, workerId: 'w1', at: at(2) },
    ]);
    const { rows } = await pool.query<{ attempt: number; worker_id: string; renewed_at: Date }>('SELECT attempt, worker_id, renewed_at FROM task_run_leases ORDER BY attempt');
    expect(rows.map((r) => ({ attempt: r.attempt, worker: r.worker_id, at: r.renewed_at.toISOString() }))).toEqual([
      { attempt: 1, worker: 'w2', at: at(3) },
      { attempt: 2, worker: 'w1', at: at(2) },
    ]);
  });
});
