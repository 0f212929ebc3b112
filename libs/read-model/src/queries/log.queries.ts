import type { EntityManager } from 'typeorm';
import { decodeCursor, encodeCursor } from './cursor.js';
import type { LogPage, LogPageInput, LogView } from './read-model.views.js';
import { CodedError } from '@chronicle/errors';
import { LOG_LEVELS } from '@chronicle/domain';

interface LogRow {
  id: string; execution_id: string; task_run_id: string | null; task_id: string | null; level: string; message: string; timestamp: Date;
}

/** The domain's levels, lowest first (a `minLevel` keeps its own and the ones after it). */
export { LOG_LEVELS };
export const DEFAULT_LOG_PAGE_SIZE = 100;
export const MAX_LOG_PAGE_SIZE = 1_000;

/** A level the log filter does not know. Maps to BAD_USER_INPUT. */
export class InvalidLogLevelError extends CodedError {
  constructor(readonly level: string) {
    super('LOG_LEVEL_INVALID', `unknown log level ${JSON.stringify(level)}; use one of ${LOG_LEVELS.join(', ')}`);
  }
}

/** The levels at or above `minLevel` (all when undefined). */
export function levelsFrom(minLevel: string | undefined): string[] | undefined {
  if (minLevel === undefined) return undefined;
  const index = LOG_LEVELS.indexOf(minLevel.toUpperCase() as (typeof LOG_LEVELS)[number]);
  if (index < 0) throw new InvalidLogLevelError(minLevel);
  return LOG_LEVELS.slice(index);
}

/** Every log line of one execution, in arrival order. */
export async function getLogs(manager: EntityManager, executionId: string, minLevel?: string): Promise<LogView[]> {
  const levels = levelsFrom(minLevel);
  const rows: LogRow[] = await manager.query(
    `SELECT id::text AS id, execution_id, task_run_id, task_id, level, message, "timestamp"
       FROM logs WHERE execution_id = $1 AND ($2::text[] IS NULL OR level = ANY($2::text[])) ORDER BY id`,
    [executionId, levels ?? null],
  );
  return rows.map(toView);
}

/**
 * One page of logs for EACH of many executions, in one query (a window per execution):
 * what a DataLoader needs for `Execution.logs` on a page of executions.
 */
export async function getLogPages(manager: EntityManager, executionIds: readonly string[], input: LogPageInput = {}): Promise<Map<string, LogPage>> {
  const pages = new Map<string, LogPage>();
  if (executionIds.length === 0) return pages;
  const first = Math.min(Math.max(Math.trunc(input.first ?? DEFAULT_LOG_PAGE_SIZE), 0), MAX_LOG_PAGE_SIZE);
  const after = input.after === undefined ? null : decodeCursor(input.after);
  const rows: (LogRow & { rn: string })[] = await manager.query(
    `SELECT id, execution_id, task_run_id, task_id, level, message, "timestamp", rn FROM (
       SELECT id::text AS id, id AS ord, execution_id, task_run_id, task_id, level, message, "timestamp",
              row_number() OVER (PARTITION BY execution_id ORDER BY id) AS rn
         FROM logs
        WHERE execution_id = ANY($1::text[]) AND ($2::bigint IS NULL OR id > $2::bigint)
          AND ($3::text[] IS NULL OR level = ANY($3::text[]))
     ) x WHERE rn <= $4 ORDER BY execution_id, ord`,
    [executionIds, after, levelsFrom(input.minLevel) ?? null, first + 1],
  );
  const grouped = new Map<string, LogView[]>();
  for (const row of rows) {
    const list = grouped.get(row.execution_id) ?? [];
    list.push(toView(row));
    grouped.set(row.execution_id, list);
  }
  for (const id of executionIds) {
    const all = grouped.get(id) ?? [];
    const nodes = all.slice(0, first);
    pages.set(id, { nodes, hasNextPage: all.length > first, endCursor: nodes.length > 0 ? encodeCursor(nodes[nodes.length - 1].id) : undefined });
  }
  return pages;
}

function toView(row: LogRow): LogView {
  return {
    id: row.id,
    executionId: row.execution_id,
    ...(row.task_run_id !== null ? { taskRunId: row.task_run_id } : {}),
    ...(row.task_id !== null ? { taskId: row.task_id } : {}),
    level: row.level,
    message: row.message,
    timestamp: row.timestamp.toISOString(),
  };
}
