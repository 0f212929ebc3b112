import type { Logger } from '@chronicle/runtime';
import type { DueTimer, DurableTimerTable, LeadershipCampaign, TimerFiringRole, TimerRequest } from '@chronicle/use-cases';
import type pg from 'pg';
import { LeaderLock } from '../leader-lock.js';
import { ensureSchemaLocked } from '../schema-lock.js';
import { inTransaction } from '../transaction.js';

/** Postgres NOTIFY channel: a timer was stored or cancelled (the leader re-arms). */
export const TIMERS_CHANNEL = 'chronicle_scheduled_timers';

/**
 * The durable timers, table `scheduled_timers`. Writes are idempotent upserts (the timers
 * topic is delivered at least once); a cancel that arrives before its schedule leaves a
 * tombstone so the late schedule never fires. Timer ids are unique per execution, so the
 * key is (execution_id, timer_id). The firing replica holds an advisory lock on its own
 * session and LISTENs on that session, so the notifications cannot outlive the leadership.
 */
export class PostgresDurableTimers implements DurableTimerTable {
  constructor(
    private readonly pool: pg.Pool,
    private readonly databaseUrl: string,
    private readonly logger: Logger,
  ) {}

  async ensureSchema(): Promise<void> {
    await ensureSchemaLocked(this.pool, 'scheduled_timers', [`CREATE TABLE IF NOT EXISTS scheduled_timers (
      execution_id text NOT NULL,
      timer_id text NOT NULL,
      fire_at timestamptz NOT NULL,
      purpose text,
      task_run_id text,
      deliver jsonb,
      cancelled boolean NOT NULL DEFAULT false,
      fired_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (execution_id, timer_id))`,
      `CREATE INDEX IF NOT EXISTS scheduled_timers_pending ON scheduled_timers (fire_at) WHERE fired_at IS NULL AND NOT cancelled`,
    ]);
  }

  /** Stores schedules and cancels in their order, then notifies the leader, in one transaction. */
  async apply(requests: readonly TimerRequest[]): Promise<void> {
    if (requests.length === 0) return;
    await inTransaction(this.pool, async (client) => {
      for (const m of requests) {
        if (m.type === 'ScheduleTimer') {
          await client.query(
            `INSERT INTO scheduled_timers (execution_id, timer_id, fire_at, purpose, task_run_id, deliver)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (execution_id, timer_id) DO UPDATE SET fire_at = EXCLUDED.fire_at, purpose = EXCLUDED.purpose,
               task_run_id = EXCLUDED.task_run_id, deliver = EXCLUDED.deliver
             WHERE scheduled_timers.fired_at IS NULL`,
            [m.executionId, m.timerId, m.fireAt, m.purpose ?? null, m.taskRunId ?? null, m.deliver ? JSON.stringify(m.deliver) : null],
          );
        } else {
          await client.query(
            `INSERT INTO scheduled_timers (execution_id, timer_id, fire_at, cancelled) VALUES ($1, $2, 'infinity', true)
             ON CONFLICT (execution_id, timer_id) DO UPDATE SET cancelled = true`,
            [m.executionId, m.timerId],
          );
        }
      }
      await client.query(`SELECT pg_notify($1, '')`, [TIMERS_CHANNEL]);
    });
  }

  async nextFireAt(): Promise<Date | undefined> {
    const r = await this.pool.query<{ at: Date | null }>(`SELECT min(fire_at) AS at FROM scheduled_timers WHERE fired_at IS NULL AND NOT cancelled`);
    return r.rows[0]?.at ?? undefined;
  }

  async due(now: Date, limit = 500): Promise<DueTimer[]> {
    const r = await this.pool.query<{ execution_id: string; timer_id: string; fire_at: Date; deliver: DueTimer['deliver'] | null }>(
      `SELECT execution_id, timer_id, fire_at, deliver FROM scheduled_timers
        WHERE fired_at IS NULL AND NOT cancelled AND fire_at <= $1 ORDER BY fire_at LIMIT $2`,
      [now.toISOString(), limit],
    );
    return r.rows.map((row) => ({
      timerId: row.timer_id,
      executionId: row.execution_id,
      fireAt: row.fire_at,
      ...(row.deliver ? { deliver: row.deliver } : {}),
    }));
  }

  async markFired(timers: readonly DueTimer[], now: Date): Promise<void> {
    if (timers.length === 0) return;
    await this.pool.query(
      `UPDATE scheduled_timers t SET fired_at = $3 FROM unnest($1::text[], $2::text[]) AS f(execution_id, timer_id)
        WHERE t.execution_id = f.execution_id AND t.timer_id = f.timer_id AND t.fired_at IS NULL`,
      [timers.map((t) => t.executionId), timers.map((t) => t.timerId), now.toISOString()],
    );
  }

  async prune(before: Date): Promise<number> {
    const r = await this.pool.query(
      `DELETE FROM scheduled_timers WHERE (fired_at IS NOT NULL AND fired_at < $1) OR (cancelled AND created_at < $1)`,
      [before.toISOString()],
    );
    return r.rowCount ?? 0;
  }

  campaignToFire(name: string, role: TimerFiringRole): LeadershipCampaign {
    return new LeaderLock(this.databaseUrl, name, this.logger, {
      lead: async (session) => {
        session.on('notification', () => role.changed());
        await session.query(`LISTEN ${TIMERS_CHANNEL}`);
        await role.lead();
      },
      resign: () => role.resign(),
    });
  }
}
