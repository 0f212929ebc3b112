import type { FlowDefinition, RetryPolicy, TaskDefinition } from '../flow/flow.model.js';
import { findTaskType } from '../flow/task-types.js';
import type { Execution, TaskRun } from './execution.state.js';

/** Where a task sits in its flow: its definition and the flowable that holds it (none at the root). */
export interface TaskNode {
  readonly task: TaskDefinition;
  readonly parent?: TaskDefinition;
}

const indexes = new WeakMap<FlowDefinition, ReadonlyMap<string, TaskNode>>();

/** Every task of the flow by id, nested ones included (ids are unique across the flow). */
export const taskIndex = (flow: FlowDefinition): ReadonlyMap<string, TaskNode> => {
  const cached = indexes.get(flow);
  if (cached !== undefined) return cached;
  const index = new Map<string, TaskNode>();
  const visit = (tasks: readonly TaskDefinition[], parent?: TaskDefinition): void => {
    for (const task of tasks) {
      index.set(task.id, parent === undefined ? { task } : { task, parent });
      for (const list of Object.values(task.lists ?? {})) visit(list, task);
      for (const list of Object.values(task.cases ?? {})) visit(list, task);
    }
  };
  visit(flow.tasks);
  visit(flow.errors ?? []);
  visit(flow.finally ?? []);
  indexes.set(flow, index);
  return index;
};

export const taskOf = (flow: FlowDefinition, taskId: string): TaskDefinition | undefined => taskIndex(flow).get(taskId)?.task;

/** Runnable tasks go to the worker pool; everything else is decided here. */
export const isRunnable = (task: TaskDefinition): boolean => (findTaskType(task.type)?.kind ?? 'runnable') === 'runnable';

/** Task runs with attempts dispatched to a worker or a child execution: runnables and Subflow. */
export const hasAttempts = (task: TaskDefinition): boolean => isRunnable(task) || task.type === 'Subflow';

export const enabled = (tasks: readonly TaskDefinition[] | undefined): readonly TaskDefinition[] =>
  (tasks ?? []).filter((t) => t.disabled !== true);

/** The ancestors of a task run, nearest first. */
export const ancestorsOf = (execution: Execution, taskRun: TaskRun): TaskRun[] => {
  const byId = new Map(execution.taskRuns.map((t) => [t.id, t]));
  const result: TaskRun[] = [];
  for (let id = taskRun.parentTaskRunId; id !== undefined; id = byId.get(id)?.parentTaskRunId) {
    const parent = byId.get(id);
    if (parent === undefined) break;
    result.push(parent);
  }
  return result;
};

/**
 * The retry that applies to a task: its own, else the nearest enclosing flowable's (Kestra applies
 * a flowable's retry to its failing descendants), else the flow's when it retries failed tasks.
 */
export const retryPolicyOf = (flow: FlowDefinition, task: TaskDefinition): RetryPolicy | undefined => {
  const index = taskIndex(flow);
  for (let node = index.get(task.id); node !== undefined; node = node.parent ? index.get(node.parent.id) : undefined) {
    if (node.task.retry !== undefined) return node.task.retry;
  }
  return flow.retry?.behavior === 'RETRY_FAILED_TASK' ? flow.retry : undefined;
};

/** The task runs of one list: children of `parentId` (the root when undefined) running one of `tasks`. */
export const runOf = (execution: Execution, task: TaskDefinition, parentId: string | undefined, value: string | undefined): TaskRun | undefined => {
  let found: TaskRun | undefined;
  for (const t of execution.taskRuns) {
    if (t.taskId === task.id && t.parentTaskRunId === parentId && t.value === value) found = t;
  }
  return found;
};
