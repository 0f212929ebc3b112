import type pg from 'pg';
import type { ExpiredLease, LeaseRenewal, StalledExecution, TaskRunLeaseTable } from '@chronicle/use-cases';
import { ensureSchemaLocked } from './schema-lock.js';

export type { ExpiredLease, LeaseRenewal, StalledExecution };

/**
 * Leases of running attempts, kept out of the event log (a renewal every few seconds per
 * running task would bloat every stream): the executor records the workers'
 * ReportTaskRunAlive here, and the scheduler's lease check compares the read model's
 * RUNNING attempts (started_at) with the last renewal. Only attempts that outlive one
 * renewal period ever write a row, so short tasks cost nothing.
 */
export class TaskRunLeases implements TaskRunLeaseTable {
  constructor(private readonly pool: pg.Pool) {}

  async ensureSchema(): Promise<void> {
    await ensureSchemaLocked(this.pool, 'task_run_leases', [`CREATE TABLE IF NOT EXISTS task_run_leases (
      task_run_id text NOT NULL,
      attempt int NOT NULL,
      execution_id text NOT NULL,
      worker_id text NOT NULL,
      renewed_at timestamptz NOT NULL,
      PRIMARY KEY (task_run_id, attempt))`]);
  }

  /**
   * Records a batch of renewals in one statement. A batch may hold several renewals of one
   * attempt (a consumer that fell behind: a broker restart, a rebalance, an outage): they are
   * collapsed to the latest first, because one INSERT … ON CONFLICT DO UPDATE may not touch a row
   * twice (SQLSTATE 21000), and that error, retried forever, blocked the whole commands partition.
   */
  async renew(batch: readonly LeaseRenewal[]): Promise<void> {
    const renewals = latestPerAttempt(batch);
    if (renewals.length === 0) return;
    await this.pool.query(
      `INSERT INTO task_run_leases (task_run_id, attempt, execution_id, worker_id, renewed_at)
       SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::timestamptz[])
       ON CONFLICT (task_run_id, attempt) DO UPDATE
         SET worker_id = EXCLUDED.worker_id, renewed_at = GREATEST(task_run_leases.renewed_at, EXCLUDED.renewed_at)`,
      [
        renewals.map((r) => r.taskRunId),
        renewals.map((r) => r.attempt),
        renewals.map((r) => r.executionId),
        renewals.map((r) => r.workerId),
        renewals.map((r) => r.at),
      ],
    );
  }

  /**
   * Attempts the read model shows RUNNING (started by a worker) in a live execution, started
   * before `silentSince` and not renewed since then. Needs the read model's tables.
   */
  async expired(silentSince: Date, limit = 500): Promise<ExpiredLease[]> {
    const result = await this.pool.query<{ execution_id: string; task_run_id: string; attempt: number; started_at: string; renewed_at: Date | null; worker_id: string | null }>(
      `SELECT t.execution_id, t.id AS task_run_id, (last.a->>'number')::int AS attempt, last.a->>'startDate' AS started_at,
              l.renewed_at, l.worker_id
         FROM task_runs t
         JOIN executions e ON e.id = t.execution_id
         CROSS JOIN LATERAL (SELECT t.attempts -> (jsonb_array_length(t.attempts) - 1) AS a) last
         LEFT JOIN task_run_leases l ON l.task_run_id = t.id AND l.attempt = (last.a->>'number')::int
        WHERE t.state = 'RUNNING'
          AND e.state IN ('RUNNING', 'KILLING', 'PAUSED')
          AND jsonb_typeof(t.attempts) = 'array' AND jsonb_array_length(t.attempts) > 0
          AND last.a->>'state' = 'RUNNING'
          AND (last.a->>'startDate')::timestamptz < $1
          AND (l.renewed_at IS NULL OR l.renewed_at < $1)
        ORDER BY (last.a->>'startDate')::timestamptz
        LIMIT $2`,
      [silentSince.toISOString(), limit],
    );
    return result.rows.map((r) => ({
      executionId: r.execution_id,
      taskRunId: r.task_run_id,
      attempt: r.attempt,
      startedAt: r.started_at,
      ...(r.renewed_at ? { lastRenewedAt: r.renewed_at.toISOString() } : {}),
      ...(r.worker_id ? { workerId: r.worker_id } : {}),
    }));
  }

  /** Drops leases not renewed since `before` (their attempts ended or were taken over). */
  async prune(before: Date): Promise<number> {
    const result = await this.pool.query('DELETE FROM task_run_leases WHERE renewed_at < $1', [before.toISOString()]);
    return result.rowCount ?? 0;
  }
}

/** One renewal per (task run, attempt): the latest, with the worker that sent it. */
export function latestPerAttempt(renewals: readonly LeaseRenewal[]): LeaseRenewal[] {
  const latest = new Map<string, LeaseRenewal>();
  for (const renewal of renewals) {
    const key = `${renewal.attempt}:${renewal.taskRunId}`;
    const seen = latest.get(key);
    if (!seen || Date.parse(renewal.at) >= Date.parse(seen.at)) latest.set(key, renewal);
  }
  return [...latest.values()];
}

/**
 * Executions that made no progress (no event projected) since `since`: RUNNING in the read
 * model with `updated_at` older than that. What the periodic health check reports, and what
 * an API query can list.
 */
export async function findStalledExecutions(pool: pg.Pool, since: Date, limit = 100): Promise<StalledExecution[]> {
  const result = await pool.query<{ id: string; namespace: string; flow_id: string; state: string; updated_at: Date }>(
    `SELECT id, namespace, flow_id, state, updated_at FROM executions
      WHERE state = 'RUNNING' AND updated_at < $1
      ORDER BY updated_at LIMIT $2`,
    [since.toISOString(), limit],
  );
  return result.rows.map((r) => ({ id: r.id, namespace: r.namespace, flowId: r.flow_id, state: r.state, updatedAt: r.updated_at.toISOString() }));
}
