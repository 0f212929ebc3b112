import type pg from 'pg';
import { LOG_LEVELS } from '@chronicle/domain';
import type { ExecutionLogs, LogPurgeRequest, StoredLogLine } from '@chronicle/use-cases';

const LEVELS = LOG_LEVELS;

export type { StoredLogLine };

/**
 * Task logs as the log.* tasks reach them: the read model's `logs` table (the projection fills it
 * from the logs topic, a moment after a line is written; `afterBarrier` waits for it to pass a
 * point). Reads and deletes only; the projection owns the table.
 */
export class ExecutionLogStore implements ExecutionLogs {
  constructor(private readonly pool: pg.Pool) {}

  /** The execution's id when it exists (in `namespace`/`flowId` when given). */
  async findExecution(executionId: string, namespace?: string, flowId?: string): Promise<{ id: string; namespace: string; flowId: string } | undefined> {
    const r = await this.pool.query<{ id: string; namespace: string; flow_id: string }>(
      'SELECT id, namespace, flow_id FROM executions WHERE id = $1 AND ($2::text IS NULL OR namespace = $2) AND ($3::text IS NULL OR flow_id = $3)',
      [executionId, namespace ?? null, flowId ?? null],
    );
    const row = r.rows[0];
    return row ? { id: row.id, namespace: row.namespace, flowId: row.flow_id } : undefined;
  }

  /**
   * Runs `publish` (which sends a barrier behind the execution's log lines) and resolves true once
   * the log projection announces the barrier's id on `channel` (Postgres NOTIFY), false when
   * `timeoutMs` ran out first. LISTEN is on before the barrier leaves, so the announcement cannot
   * be missed; the connection is held for the wait only.
   */
  async afterBarrier(channel: string, id: string, publish: () => Promise<void>, timeoutMs: number): Promise<boolean> {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new TypeError(`not a channel name: ${channel}`);
    const client = await this.pool.connect();
    let timer: NodeJS.Timeout | undefined;
    let onNotification: ((n: pg.Notification) => void) | undefined;
    try {
      const passed = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
        onNotification = (n) => {
          if (n.channel === channel && n.payload === id) resolve(true);
        };
        client.on('notification', onNotification);
      });
      await client.query(`LISTEN ${channel}`);
      await publish();
      return await passed;
    } finally {
      clearTimeout(timer);
      if (onNotification) client.off('notification', onNotification);
      const unlisten = await client.query(`UNLISTEN ${channel}`).then(() => undefined, (error: Error) => error);
      client.release(unlisten);
    }
  }

  /** Lines of an execution at `minLevel` or above, of some tasks only when `taskIds` is given, oldest first. */
  // The execution's flow comes from the caller: its row in `executions` may not be projected yet
  // while its first tasks run, and its lines are there all the same.
  async fetch(execution: { id: string; namespace: string; flowId: string }, options: { minLevel?: string; taskIds?: readonly string[] } = {}): Promise<StoredLogLine[]> {
    const r = await this.pool.query<{ execution_id: string; task_id: string | null; task_run_id: string | null; level: string; message: string; timestamp: Date }>(
      `SELECT l.execution_id, l.task_id, l.task_run_id, l.level, l.message, l."timestamp"
       FROM logs l
       WHERE l.execution_id = $1 AND l.level = ANY($2::text[]) AND ($3::text[] IS NULL OR l.task_id = ANY($3::text[]))
       ORDER BY l.id`,
      [execution.id, levelsFrom(options.minLevel ?? 'INFO'), options.taskIds ? [...options.taskIds] : null],
    );
    return r.rows.map((row) => ({
      namespace: execution.namespace, flowId: execution.flowId, executionId: row.execution_id, taskId: row.task_id, taskRunId: row.task_run_id,
      level: row.level, message: row.message, timestamp: row.timestamp.toISOString(),
    }));
  }

  /** Deletes lines by namespace, flow, levels and time window (Kestra's LogService.purge); returns how many. */
  async purge(options: LogPurgeRequest): Promise<number> {
    const r = await this.pool.query(
      `DELETE FROM logs l USING executions e
       WHERE e.id = l.execution_id AND ($1::text IS NULL OR e.namespace = $1) AND ($2::text IS NULL OR e.flow_id = $2)
         AND ($3::text[] IS NULL OR l.level = ANY($3::text[])) AND ($4::timestamptz IS NULL OR l."timestamp" >= $4) AND l."timestamp" <= $5`,
      [options.namespace ?? null, options.flowId ?? null, options.levels ? [...options.levels] : null, options.startDate ?? null, options.endDate],
    );
    return r.rowCount ?? 0;
  }
}

/** `INFO` → INFO, WARN, ERROR. */
export const levelsFrom = (minLevel: string): string[] => {
  const index = LEVELS.indexOf(minLevel.toUpperCase() as (typeof LEVELS)[number]);
  return LEVELS.slice(index < 0 ? 2 : index);
};
