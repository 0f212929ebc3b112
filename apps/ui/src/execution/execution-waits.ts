import type { TaskRun } from '../api/types.js';

/** A WaitForExecution task run that still waits: for whom (once chosen), for which states, chosen by which labels. */
export interface ExecutionWait {
  readonly taskRunId: string;
  readonly taskId: string;
  readonly executionId?: string;
  readonly labels?: Record<string, string>;
  readonly states: string[];
}

interface WaitTask { id: string; type: string; states?: unknown; labels?: unknown }

const isWaitTask = (node: Record<string, unknown>): boolean =>
  typeof node.id === 'string' && typeof node.type === 'string' && (node.type === 'WaitForExecution' || node.type.endsWith('.WaitForExecution'));

/** The flow's WaitForExecution tasks, at any depth (inside Parallel, If, errors...). */
const waitTasks = (tasks: unknown): Map<string, WaitTask> => {
  const found = new Map<string, WaitTask>();
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const task = node as Record<string, unknown>;
    if (isWaitTask(task)) found.set(task.id as string, task as unknown as WaitTask);
    for (const value of Object.values(task)) if (typeof value === 'object') visit(value);
  };
  visit(tasks);
  return found;
};

/**
 * The waits of an execution (Cloudomation's `execution.wait()`): each RUNNING task run of a
 * WaitForExecution task, with the execution it waits for (its outputs name it once chosen; a
 * choice by labels is looked up first) and the states it waits for (SUCCESS by default).
 */
export function executionWaits(taskRuns: readonly TaskRun[], tasks: unknown): ExecutionWait[] {
  const byId = waitTasks(tasks);
  if (byId.size === 0) return [];
  return taskRuns.flatMap((run) => {
    const task = byId.get(run.taskId);
    if (!task || run.state !== 'RUNNING') return [];
    const outputs = (run.outputs ?? {}) as { executionId?: unknown };
    const states = Array.isArray(task.states) && task.states.length > 0 ? task.states.map(String) : ['SUCCESS'];
    const labels = task.labels && typeof task.labels === 'object' && !Array.isArray(task.labels) ? (task.labels as Record<string, string>) : undefined;
    return [{
      taskRunId: run.id, taskId: run.taskId, states,
      ...(typeof outputs.executionId === 'string' ? { executionId: outputs.executionId } : {}),
      ...(labels ? { labels } : {}),
    }];
  });
}
