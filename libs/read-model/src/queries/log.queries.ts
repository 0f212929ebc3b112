import type { EntityManager } from 'typeorm';
import type { LogView } from './read-model.views.js';

interface LogRow {
  id: string; execution_id: string; task_run_id: string | null; task_id: string | null; level: string; message: string; timestamp: Date;
}

/** Every log line of one execution, in arrival order. */
export async function getLogs(manager: EntityManager, executionId: string): Promise<LogView[]> {
  const rows: LogRow[] = await manager.query(
    `SELECT id::text AS id, execution_id, task_run_id, task_id, level, message, "timestamp"
       FROM logs WHERE execution_id = $1 ORDER BY id`,
    [executionId],
  );
  return rows.map((row) => ({
    id: row.id,
    executionId: row.execution_id,
    ...(row.task_run_id !== null ? { taskRunId: row.task_run_id } : {}),
    ...(row.task_id !== null ? { taskId: row.task_id } : {}),
    level: row.level,
    message: row.message,
    timestamp: row.timestamp.toISOString(),
  }));
}
