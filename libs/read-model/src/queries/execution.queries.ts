import type { Attempt, BreakpointHold, ExecutionOptions, LockClaim, RewindRecord, Savepoint, State, StateChange, WrappedRun } from '@chronicle/domain';
import type { EntityManager } from 'typeorm';
import { decodeCursor, encodeCursor } from './cursor.js';
import type { ExecutionPage, ExecutionView, ListedExecution, ListExecutionsInput, TaskRunView } from './read-model.views.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 500;

/** Only a PAUSED execution can hold a task run at a breakpoint: the task runs' doc is read for those alone. */
const BREAKPOINT_HOLDS = `CASE WHEN state = 'PAUSED' THEN (SELECT jsonb_object_agg(t->>'id', t->'breakpoint') FROM jsonb_array_elements(doc->'taskRuns') t
  WHERE t ? 'breakpoint' AND t->>'state' = 'CREATED') END AS breakpoints`;
const EXECUTION_COLUMNS = `id, namespace, flow_id, flow_revision, state, state_history, inputs, outputs, labels, trigger,
  original_id, parent_id, start_date, end_date, error, revision, seq::text AS seq, doc->'options' AS options, doc->>'killReason' AS kill_reason,
  doc->'lockClaims' AS lock_claims, (doc->>'stepping')::boolean AS stepping,
  doc->'savepoints' AS savepoints, doc->'rewinds' AS rewinds, doc->'wrapped' AS wrapped,
  ${BREAKPOINT_HOLDS}`;
const TASK_RUN_COLUMNS = `id, execution_id, task_id, parent_task_run_id, value, state, state_history, attempts, outputs,
  start_date, end_date, error`;

interface ExecutionRow {
  id: string; namespace: string; flow_id: string; flow_revision: number; state: State; state_history: StateChange[];
  inputs: unknown; outputs: unknown; labels: Record<string, string>; trigger: unknown; original_id: string; parent_id: string | null;
  start_date: Date; end_date: Date | null; error: string | null; revision: number; seq: string;
  options: ExecutionOptions | null; kill_reason: string | null;
  lock_claims: LockClaim[] | null; stepping: boolean | null; breakpoints: Record<string, BreakpointHold> | null;
  savepoints: Savepoint[] | null; rewinds: RewindRecord[] | null; wrapped: WrappedRun | null;
}
interface TaskRunRow {
  id: string; execution_id: string; task_id: string; parent_task_run_id: string | null; value: string | null; state: State;
  state_history: StateChange[]; attempts: Attempt[]; outputs: unknown; start_date: Date | null; end_date: Date | null; error: string | null;
}

/** One execution and its task runs: two queries. */
export async function getExecution(manager: EntityManager, id: string): Promise<ExecutionView | undefined> {
  const rows: ExecutionRow[] = await manager.query(`SELECT ${EXECUTION_COLUMNS} FROM executions WHERE id = $1`, [id]);
  if (rows.length === 0) return undefined;
  const taskRuns = await loadTaskRuns(manager, [id]);
  return toView(rows[0], taskRuns.get(id) ?? []);
}

/**
 * Newest first (insertion order), keyset-paginated on `seq`. Three queries whatever the page
 * size: the page, the count, and the task runs of the whole page.
 */
export async function listExecutions(manager: EntityManager, input: ListExecutionsInput = {}): Promise<ExecutionPage> {
  const first = Math.min(Math.max(Math.trunc(input.first ?? DEFAULT_PAGE_SIZE), 0), MAX_PAGE_SIZE);
  const { where, params } = executionFilters(input);
  const countWhere = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const countParams = [...params];
  if (input.after !== undefined) where.push(`seq < $${params.push(decodeCursor(input.after))}::bigint`);
  const pageWhere = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';

  const [rows, counted] = await Promise.all([
    // `executions.seq`: a bare `seq` would sort by the text alias of the select list (10 < 9).
    manager.query(`SELECT ${EXECUTION_COLUMNS} FROM executions ${pageWhere} ORDER BY executions.seq DESC LIMIT ${first + 1}`, params) as Promise<ExecutionRow[]>,
    manager.query(`SELECT count(*)::int AS total FROM executions ${countWhere}`, countParams) as Promise<{ total: number }[]>,
  ]);
  const page = rows.slice(0, first);
  const taskRuns = await loadTaskRuns(manager, page.map((row) => row.id));
  const nodes = page.map((row): ListedExecution => ({ ...toView(row, taskRuns.get(row.id) ?? []), cursor: encodeCursor(row.seq) }));
  return {
    nodes,
    hasNextPage: rows.length > first,
    endCursor: nodes.length > 0 ? nodes[nodes.length - 1].cursor : undefined,
    totalCount: counted[0].total,
  };
}

/** The WHERE clauses of the filters, all parameterised. */
function executionFilters(input: ListExecutionsInput): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (input.namespace !== undefined) {
    // A namespace includes its children (`company` lists `company.team` too).
    const ns = params.push(input.namespace);
    where.push(`(namespace = $${ns} OR starts_with(namespace, $${ns} || '.'))`);
  }
  if (input.namespaces !== undefined) {
    const ns = params.push([...input.namespaces]);
    where.push(`(namespace = ANY($${ns}::text[]) OR EXISTS (SELECT 1 FROM unnest($${ns}::text[]) AS n WHERE starts_with(namespace, n || '.')))`);
  }
  if (input.flowId !== undefined) where.push(`flow_id = $${params.push(input.flowId)}`);
  if (input.states !== undefined && input.states.length > 0) where.push(`state = ANY($${params.push([...input.states])}::text[])`);
  if (input.labels !== undefined && Object.keys(input.labels).length > 0) where.push(`labels @> $${params.push(JSON.stringify(input.labels))}::jsonb`);
  if (input.startDate !== undefined) where.push(`start_date >= $${params.push(input.startDate)}::timestamptz`);
  if (input.endDate !== undefined) where.push(`start_date <= $${params.push(input.endDate)}::timestamptz`);
  if (input.parentId !== undefined) where.push(`parent_id = $${params.push(input.parentId)}`);
  if (input.originalId !== undefined) where.push(`original_id = $${params.push(input.originalId)}`);
  // Development runs are left out unless asked for (or looked up by their tree / chain).
  const mode = input.mode ?? (input.parentId !== undefined || input.originalId !== undefined ? 'ALL' : 'PRODUCTIVE');
  if (mode === 'DEVELOPMENT') where.push(`doc->'options'->>'mode' = 'DEVELOPMENT'`);
  else if (mode === 'PRODUCTIVE') where.push(`(doc->'options'->>'mode') IS DISTINCT FROM 'DEVELOPMENT'`);
  return { where, params };
}

/** Several executions with their task runs, in two queries whatever their number (DataLoader batches). */
export async function getExecutions(manager: EntityManager, ids: readonly string[]): Promise<Map<string, ExecutionView>> {
  const found = new Map<string, ExecutionView>();
  if (ids.length === 0) return found;
  const rows: ExecutionRow[] = await manager.query(`SELECT ${EXECUTION_COLUMNS} FROM executions WHERE id = ANY($1::text[])`, [ids]);
  const taskRuns = await loadTaskRuns(manager, rows.map((row) => row.id));
  for (const row of rows) found.set(row.id, toView(row, taskRuns.get(row.id) ?? []));
  return found;
}

/** Task runs of many executions in ONE query, grouped by execution, in creation order. */
async function loadTaskRuns(manager: EntityManager, executionIds: readonly string[]): Promise<Map<string, TaskRunView[]>> {
  const byExecution = new Map<string, TaskRunView[]>();
  if (executionIds.length === 0) return byExecution;
  const rows: TaskRunRow[] = await manager.query(
    `SELECT ${TASK_RUN_COLUMNS} FROM task_runs WHERE execution_id = ANY($1::text[]) ORDER BY execution_id, seq`,
    [executionIds],
  );
  for (const row of rows) {
    const list = byExecution.get(row.execution_id) ?? [];
    list.push(toTaskRunView(row));
    byExecution.set(row.execution_id, list);
  }
  return byExecution;
}

function toView(row: ExecutionRow, taskRuns: TaskRunView[]): ExecutionView {
  return {
    id: row.id,
    namespace: row.namespace,
    flowId: row.flow_id,
    flowRevision: row.flow_revision,
    state: row.state,
    stateHistory: row.state_history,
    inputs: row.inputs,
    ...optional('outputs', row.outputs),
    labels: row.labels,
    ...optional('trigger', row.trigger),
    taskRuns: row.breakpoints === null ? taskRuns : taskRuns.map((t) => (row.breakpoints?.[t.id] ? { ...t, breakpoint: row.breakpoints[t.id] } : t)),
    originalId: row.original_id,
    ...optional('parentId', row.parent_id),
    startDate: row.start_date.toISOString(),
    ...optional('endDate', row.end_date?.toISOString()),
    ...optional('error', row.error),
    ...optional('options', row.options),
    ...optional('killReason', row.kill_reason),
    ...optional('lockClaims', row.lock_claims),
    ...optional('stepping', row.stepping),
    ...optional('savepoints', row.savepoints),
    ...optional('rewinds', row.rewinds),
    ...optional('wrapped', row.wrapped),
    revision: row.revision,
  };
}

function toTaskRunView(row: TaskRunRow): TaskRunView {
  return {
    id: row.id,
    taskId: row.task_id,
    ...optional('parentTaskRunId', row.parent_task_run_id),
    ...optional('value', row.value),
    state: row.state,
    stateHistory: row.state_history,
    attempts: row.attempts,
    ...optional('outputs', row.outputs),
    ...optional('startDate', row.start_date?.toISOString()),
    ...optional('endDate', row.end_date?.toISOString()),
    ...optional('error', row.error),
  };
}

/** SQL NULL becomes an absent property, as in the domain types. */
function optional<K extends string, V>(key: K, value: V | null | undefined): { [P in K]?: V } {
  return (value === null || value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
