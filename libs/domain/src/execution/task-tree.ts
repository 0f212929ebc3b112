import type { FlowDefinition, RetryPolicy, TaskDefinition } from '../flow/flow.model.js';
import type { TaskCatalog } from '../task-types/task-catalog.js';
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
  visit(flow.afterExecution ?? []);
  indexes.set(flow, index);
  return index;
};

export const taskOf = (flow: FlowDefinition, taskId: string): TaskDefinition | undefined => taskIndex(flow).get(taskId)?.task;

/** Runnable tasks go to the worker pool; everything else is decided here. */
export const isRunnable = (taskTypes: TaskCatalog, task: TaskDefinition): boolean => (taskTypes.find(task.type)?.kind ?? 'runnable') === 'runnable';

/** Task runs with attempts dispatched to a worker or a child execution: runnables and Subflow. */
export const hasAttempts = (taskTypes: TaskCatalog, task: TaskDefinition): boolean => isRunnable(taskTypes, task) || task.type === 'Subflow';

export const enabled = (tasks: readonly TaskDefinition[] | undefined): readonly TaskDefinition[] => {
  if (tasks === undefined) return NO_TASKS;
  // Asked for every list on every progress pass, of a flow that never changes: filtered once per
  // list, and frozen since every caller shares the one array.
  let kept = enabledTasks.get(tasks);
  if (kept === undefined) {
    kept = Object.freeze(tasks.filter((t) => t.disabled !== true));
    enabledTasks.set(tasks, kept);
  }
  return kept;
};

const NO_TASKS: readonly TaskDefinition[] = Object.freeze([]);
const enabledTasks = new WeakMap<readonly TaskDefinition[], readonly TaskDefinition[]>();

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

/** The task run of `task` under `parentId` (the root when undefined) for loop value `value` and LoopUntil `iteration` (the last one). */
export const runOf = (execution: Execution, task: TaskDefinition, parentId: string | undefined, value: string | undefined, iteration?: number): TaskRun | undefined => {
  const taskRuns = execution.taskRuns;
  if (taskRuns.length <= SCANNED) {
    // Asked for every task on every progress pass: the key is made only for a run of the same
    // task in another place (a loop's), since the same place field by field is the same key.
    let key: string | undefined;
    for (let i = taskRuns.length - 1; i >= 0; i--) {
      const t = taskRuns[i]!;
      if (t.taskId !== task.id) continue;
      if (t.parentTaskRunId === parentId && t.value === value && t.iteration === iteration) return t;
      key ??= placeKey(task.id, parentId, value, iteration);
      if (placeKey(t.taskId, t.parentTaskRunId, t.value, t.iteration) === key) return t;
    }
    return undefined;
  }
  const key = placeKey(task.id, parentId, value, iteration);
  return lookUp(taskRuns, runIndexOf(taskRuns).byPlace.get(key), (t) => placeKey(t.taskId, t.parentTaskRunId, t.value, t.iteration) === key);
};

/** A task run by id. */
export const taskRunById = (execution: Execution, id: string): TaskRun | undefined => {
  const position = runPosition(execution.taskRuns, id);
  return position === -1 ? undefined : execution.taskRuns[position];
};

/** Where the run with this id sits in the list (-1: nowhere). */
export function runPosition(taskRuns: readonly TaskRun[], id: string): number {
  if (taskRuns.length <= SCANNED) return taskRuns.findLastIndex((t) => t.id === id);
  const position = runIndexOf(taskRuns).byId.get(id);
  if (position === undefined) return -1;
  if (position < taskRuns.length && taskRuns[position]!.id === id) return position;
  return taskRuns.findLastIndex((t) => t.id === id);
}

/**
 * Positions by place (the last run there) and by id. `evolve` copies the task-run list on every
 * change, but only ever appends a run or replaces one in place, and positions survive both: so
 * the new list shares its predecessor's index (see `shareRunIndex`) and extends it with what was
 * appended. A decision over a 1000-way ForEach then looks each run up in O(1), where rebuilding
 * an index per list made every creation cost a pass over all the runs before it.
 */
interface RunIndex {
  readonly byPlace: Map<string, number>;
  readonly byId: Map<string, number>;
  /** How many leading runs are indexed (of `tip`). */
  size: number;
  /**
   * The newest list of the chain sharing this index; only it passes the index on. The others are
   * its ancestors (their runs are at the same positions), so their lookups stay right; a second
   * list evolved from an ancestor (a branch: another decision on the same state) gets its own.
   */
  tip: readonly TaskRun[];
}

const runIndexes = new WeakMap<readonly TaskRun[], RunIndex>();

/**
 * Lists this short are searched from their end (the last run wins, as in the index): cheaper than
 * keeping an index, whose WeakMap entry and two maps per list were the largest cost of folding a
 * small execution (≈ a third of a projection rebuild's fold).
 */
const SCANNED = 16;

/** `next` is `previous` with runs appended or replaced in place (the evolver's two changes): same positions. */
export function shareRunIndex(previous: readonly TaskRun[], next: readonly TaskRun[]): void {
  if (next.length <= SCANNED) return;
  const index = runIndexes.get(previous);
  if (index === undefined || index.tip !== previous) return;
  index.tip = next;
  runIndexes.set(next, index);
}

function runIndexOf(taskRuns: readonly TaskRun[]): RunIndex {
  let index = runIndexes.get(taskRuns);
  if (index === undefined) {
    index = { byPlace: new Map(), byId: new Map(), size: 0, tip: taskRuns };
    runIndexes.set(taskRuns, index);
  }
  // The tip's runs cover its ancestors' (same ids at the same positions).
  const tip = index.tip;
  for (; index.size < tip.length; index.size++) {
    const t = tip[index.size]!;
    index.byPlace.set(placeKey(t.taskId, t.parentTaskRunId, t.value, t.iteration), index.size);
    index.byId.set(t.id, index.size);
  }
  return index;
}

/**
 * The run at the indexed position, checked. A list older than the index (shorter than what it
 * indexed) may find a position past its end: it is searched from its end instead.
 */
function lookUp(taskRuns: readonly TaskRun[], position: number | undefined, matches: (t: TaskRun) => boolean): TaskRun | undefined {
  if (position === undefined) return undefined;
  if (position < taskRuns.length) return taskRuns[position];
  for (let i = taskRuns.length - 1; i >= 0; i--) if (matches(taskRuns[i]!)) return taskRuns[i];
  return undefined;
}

const placeKey = (taskId: string, parentId: string | undefined, value: string | undefined, iteration?: number) =>
  `${taskId}\u0000${parentId ?? ''}\u0001${parentId === undefined ? 0 : 1}\u0000${value ?? ''}\u0001${value === undefined ? 0 : 1}${iteration === undefined ? '' : `\u0002${iteration}`}`;
