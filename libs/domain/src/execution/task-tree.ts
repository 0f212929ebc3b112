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

/** The task run of `task` under `parentId` (the root when undefined) for loop value `value` (the last one). */
export const runOf = (execution: Execution, task: TaskDefinition, parentId: string | undefined, value: string | undefined): TaskRun | undefined =>
  runIndexOf(execution.taskRuns).byPlace.get(placeKey(task.id, parentId, value));

/** A task run by id. */
export const taskRunById = (execution: Execution, id: string): TaskRun | undefined => runIndexOf(execution.taskRuns).byId.get(id);

interface RunIndex {
  readonly byPlace: Map<string, TaskRun>;
  readonly byId: Map<string, TaskRun>;
}

/**
 * Lookups by place and id, built once per task-run list. `evolve` copies the list on every change,
 * so the list's identity is the cache key: a decision over a 1000-way ForEach looks task runs up
 * in O(1) instead of scanning the list for each of its 1000 groups (which made fan-out cubic).
 */
const runIndexes = new WeakMap<readonly TaskRun[], RunIndex>();

function runIndexOf(taskRuns: readonly TaskRun[]): RunIndex {
  let index = runIndexes.get(taskRuns);
  if (index === undefined) {
    index = { byPlace: new Map(), byId: new Map() };
    for (const t of taskRuns) {
      index.byPlace.set(placeKey(t.taskId, t.parentTaskRunId, t.value), t);
      index.byId.set(t.id, t);
    }
    runIndexes.set(taskRuns, index);
  }
  return index;
}

const placeKey = (taskId: string, parentId: string | undefined, value: string | undefined) => `${taskId}\u0000${parentId ?? ''}\u0001${parentId === undefined ? 0 : 1}\u0000${value ?? ''}\u0001${value === undefined ? 0 : 1}`;
