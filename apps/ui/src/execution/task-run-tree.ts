import type { ExecutionEvent, TaskRun } from '../api/types.js';

export interface TaskRunRow {
  readonly run: TaskRun;
  readonly depth: number;
}

/** Task runs in tree order (a parent, then its children), each with its depth. */
export function taskRunRows(runs: readonly TaskRun[]): TaskRunRow[] {
  const ids = new Set(runs.map((r) => r.id));
  const children = new Map<string | null, TaskRun[]>();
  for (const run of runs) {
    const parent = run.parentTaskRunId && ids.has(run.parentTaskRunId) ? run.parentTaskRunId : null;
    children.set(parent, [...(children.get(parent) ?? []), run]);
  }
  const rows: TaskRunRow[] = [];
  const walk = (parent: string | null, depth: number) => {
    for (const run of children.get(parent) ?? []) {
      rows.push({ run, depth });
      walk(run.id, depth + 1);
    }
  };
  walk(null, 0);
  return rows;
}

/** Child executions started by Subflow task runs: from the outputs, else from the history's ChildExecutionRequested. */
export function childExecutions(runs: readonly TaskRun[], events: readonly ExecutionEvent[]): Map<string, string> {
  const children = new Map<string, string>();
  for (const event of events) {
    const data = event.data as { childExecutionId?: string; taskRunId?: string } | null;
    if (event.type === 'ChildExecutionRequested' && data?.childExecutionId && data.taskRunId) children.set(data.taskRunId, data.childExecutionId);
  }
  for (const run of runs) {
    const child = (run.outputs as { executionId?: unknown } | null)?.executionId;
    if (typeof child === 'string') children.set(run.id, child);
  }
  return children;
}

/** The task ids of a flow's task list, nested ones too, in order (for "replay from"). */
export function flowTaskIds(tasks: unknown): string[] {
  const ids: string[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const task = node as Record<string, unknown>;
    if (typeof task.id === 'string' && typeof task.type === 'string') ids.push(task.id);
    for (const value of Object.values(task)) if (typeof value === 'object') visit(value);
  };
  visit(tasks);
  return [...new Set(ids)];
}
