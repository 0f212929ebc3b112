import { withoutSavepointSnapshots, type Execution } from '@chronicle/domain';
import type { EntityManager } from 'typeorm';
import type { ChangedTaskRun, FoldedExecution, StoredExecution } from './execution-fold.js';
import { toExecutionView, toTaskRunView } from '../views/execution-view.mapping.js';

/*
 * Set-based writes: a whole batch travels as ONE jsonb parameter and is expanded with
 * jsonb_to_recordset, so a batch costs the same few statements whatever its size (and
 * never meets pg's 65 535-parameter limit).
 */

/** The stored doc and revision of every listed execution, in one query. */
export async function loadExecutions(manager: EntityManager, ids: readonly string[]): Promise<Map<string, StoredExecution>> {
  const stored = new Map<string, StoredExecution>();
  if (ids.length === 0) return stored;
  const rows: { id: string; revision: number; doc: Execution }[] = await manager.query(
    'SELECT id, revision, doc FROM executions WHERE id = ANY($1::text[])',
    [ids],
  );
  for (const row of rows) stored.set(row.id, { doc: row.doc, revision: row.revision });
  return stored;
}

/**
 * What a batch needs before it folds, in one query: which of its executions were purged (their
 * events stay out, see `purged_executions`) and the stored doc and revision of the others.
 */
export async function loadBatchExecutions(manager: EntityManager, ids: readonly string[]): Promise<LoadedExecutions> {
  if (ids.length === 0) return { stored: new Map(), purged: new Set() };
  const { sql, params } = loadBatchExecutionsQuery(ids);
  return loadedExecutionsFrom(await manager.query(sql, params));
}

/** What `loadBatchExecutions` answers. */
export interface LoadedExecutions {
  readonly stored: Map<string, StoredExecution>;
  readonly purged: Set<string>;
}

/** The row `loadBatchExecutionsQuery` answers per id. */
export interface LoadedExecutionRow {
  readonly id: string;
  readonly revision: number | null;
  readonly doc: Execution | null;
  readonly purged: boolean;
}

/**
 * `loadBatchExecutions`' statement (for ids, at least one), for a caller that sends it in a message
 * of its own making (the live projection sends it with BEGIN and the checkpoint advance).
 */
export function loadBatchExecutionsQuery(ids: readonly string[]): { sql: string; params: unknown[] } {
  return {
    sql: `SELECT x.id, e.revision, e.doc, p.id IS NOT NULL AS purged
       FROM unnest($1::text[]) AS x(id)
       LEFT JOIN purged_executions p ON p.id = x.id
       LEFT JOIN executions e ON e.id = x.id`,
    params: [ids],
  };
}

/** The answer of `loadBatchExecutionsQuery`, as `loadBatchExecutions` gives it. */
export function loadedExecutionsFrom(rows: readonly LoadedExecutionRow[]): LoadedExecutions {
  const stored = new Map<string, StoredExecution>();
  const purged = new Set<string>();
  for (const row of rows) {
    if (row.purged) purged.add(row.id);
    else if (row.doc !== null && row.revision !== null) stored.set(row.id, { doc: row.doc, revision: row.revision });
  }
  return { stored, purged };
}

/**
 * Upserts the executions; a row never goes back to an older revision (two projector replicas,
 * or a replay, cannot regress it). New rows get their `seq` in log order.
 */
export async function upsertExecutions(manager: EntityManager, executions: readonly FoldedExecution[]): Promise<void> {
  if (executions.length === 0) return;
  const rows = executions.map((execution, ord) => executionRow(execution.doc, execution.revision, ord));
  await manager.query(
    `INSERT INTO executions (id, namespace, flow_id, flow_revision, state, state_history, inputs, outputs, labels, trigger,
                             original_id, parent_id, start_date, end_date, error, revision, doc, updated_at)
     SELECT x.id, x.namespace, x.flow_id, x.flow_revision, x.state, x.state_history, x.inputs, x.outputs, x.labels, x.trigger,
            x.original_id, x.parent_id, x.start_date, x.end_date, x.error, x.revision, x.doc, now()
       FROM jsonb_to_recordset($1::jsonb) AS x(
              ord int, id text, namespace text, flow_id text, flow_revision int, state text, state_history jsonb, inputs jsonb,
              outputs jsonb, labels jsonb, trigger jsonb, original_id text, parent_id text, start_date timestamptz,
              end_date timestamptz, error text, revision int, doc jsonb)
      ORDER BY x.ord
     ON CONFLICT (id) DO UPDATE SET
       namespace = EXCLUDED.namespace, flow_id = EXCLUDED.flow_id, flow_revision = EXCLUDED.flow_revision,
       state = EXCLUDED.state, state_history = EXCLUDED.state_history, inputs = EXCLUDED.inputs, outputs = EXCLUDED.outputs,
       labels = EXCLUDED.labels, trigger = EXCLUDED.trigger, original_id = EXCLUDED.original_id, parent_id = EXCLUDED.parent_id,
       start_date = EXCLUDED.start_date, end_date = EXCLUDED.end_date, error = EXCLUDED.error, revision = EXCLUDED.revision,
       doc = EXCLUDED.doc, updated_at = EXCLUDED.updated_at
     WHERE executions.revision < EXCLUDED.revision`,
    [JSON.stringify(rows)],
  );
}

/** Upserts the task runs that changed and deletes those that left their execution. */
export async function writeTaskRuns(manager: EntityManager, executions: readonly FoldedExecution[]): Promise<void> {
  const rows = executions.flatMap((execution) => execution.changedTaskRuns.map((changed) => taskRunRow(execution, changed)));
  if (rows.length > 0) {
    await manager.query(
      `INSERT INTO task_runs (id, execution_id, seq, task_id, parent_task_run_id, value, state, state_history, attempts, outputs,
                              start_date, end_date, error, revision)
       SELECT x.id, x.execution_id, x.seq, x.task_id, x.parent_task_run_id, x.value, x.state, x.state_history, x.attempts,
              x.outputs, x.start_date, x.end_date, x.error, x.revision
         FROM jsonb_to_recordset($1::jsonb) AS x(
                id text, execution_id text, seq int, task_id text, parent_task_run_id text, value text, state text,
                state_history jsonb, attempts jsonb, outputs jsonb, start_date timestamptz, end_date timestamptz, error text,
                revision int)
       ON CONFLICT (id) DO UPDATE SET
         execution_id = EXCLUDED.execution_id, seq = EXCLUDED.seq, task_id = EXCLUDED.task_id,
         parent_task_run_id = EXCLUDED.parent_task_run_id, value = EXCLUDED.value, state = EXCLUDED.state,
         state_history = EXCLUDED.state_history, attempts = EXCLUDED.attempts, outputs = EXCLUDED.outputs,
         start_date = EXCLUDED.start_date, end_date = EXCLUDED.end_date, error = EXCLUDED.error, revision = EXCLUDED.revision
       WHERE task_runs.revision <= EXCLUDED.revision`,
      [JSON.stringify(rows)],
    );
  }
  const removed = executions.flatMap((execution) => execution.removedTaskRunIds.map((id) => ({ id, revision: execution.revision })));
  if (removed.length > 0) {
    await manager.query(
      `DELETE FROM task_runs t USING jsonb_to_recordset($1::jsonb) AS x(id text, revision int)
        WHERE t.id = x.id AND t.revision < x.revision`,
      [JSON.stringify(removed)],
    );
  }
}

/** The row of a changed task run (the rebuild's bulk load writes the same rows, see shadow-batch.writer). */
export function taskRunRow(execution: FoldedExecution, { taskRun: domainTaskRun, seq }: ChangedTaskRun): Record<string, unknown> {
  const taskRun = toTaskRunView(domainTaskRun);
  return {
    id: taskRun.id,
    execution_id: execution.id,
    seq,
    task_id: taskRun.taskId,
    parent_task_run_id: taskRun.parentTaskRunId,
    value: taskRun.value,
    state: taskRun.state,
    state_history: taskRun.stateHistory,
    attempts: taskRun.attempts,
    outputs: taskRun.outputs,
    start_date: taskRun.startDate,
    end_date: taskRun.endDate,
    error: taskRun.error,
    revision: execution.revision,
  };
}

/**
 * The row of an execution: the columns are its read-side view (what queries answer); `doc` keeps the
 * domain fold itself, the state the next batch folds on (queries read only its options and kill reason).
 */
export function executionRow(doc: Execution, revision: number, ord: number): Record<string, unknown> {
  // Its task runs have rows of their own: left out of the view rather than mapped for nothing.
  const view = toExecutionView({ ...doc, taskRuns: [] });
  return {
    ord,
    id: view.id,
    namespace: view.namespace,
    flow_id: view.flowId,
    flow_revision: view.flowRevision,
    state: view.state,
    state_history: view.stateHistory,
    inputs: view.inputs,
    outputs: view.outputs,
    labels: view.labels,
    trigger: view.trigger,
    original_id: view.originalId,
    parent_id: view.parentId,
    start_date: view.startDate,
    end_date: view.endDate,
    error: view.error,
    revision,
    // Savepoints are listed; their snapshots stay with the executor (a rewind event carries what it restores).
    doc: withoutSavepointSnapshots(doc),
  };
}
