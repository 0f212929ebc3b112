import type { TaskRunCreated } from '../execution.events.js';
import type { Execution, Savepoint, SavepointSnapshot } from '../execution.state.js';
import { parseIsoDuration } from '../iso-duration.js';
import { taskRunById } from '../task-tree.js';

/**
 * Savepoints (Cloudomation's savepoints; the types are in execution.state.ts): points of an
 * execution's own history it can be rewound to in place. One is taken right before each task run
 * is created while the execution runs —
 * "before task X" — except inside loop iterations (a 1000-way ForEach is not 1000 points).
 * `revision` is the stream revision of the last event folded before it: the state "as it was at
 * that revision". The flow's `savepointRetention` decides how many are kept.
 */
/**
 * `savepointRetention` values: `ALL`, `NONE`, `LAST` (the newest one), `LAST_<n>` (the newest n),
 * or an ISO-8601 duration (those taken within that time of the newest one).
 */
export type RetentionRule =
  | { readonly kind: 'all' }
  | { readonly kind: 'none' }
  | { readonly kind: 'last'; readonly count: number }
  | { readonly kind: 'age'; readonly ms: number };

/** When a flow does not say: enough to step back over a few tasks, bounded in memory. */
export const DEFAULT_SAVEPOINT_RETENTION = 'LAST_10';
export const MAX_SAVEPOINTS = 1000;

/** The rule a retention value means; a text naming the problem when it means none. */
export const parseSavepointRetention = (value: unknown): RetentionRule | string => {
  const expected = 'must be ALL, NONE, LAST, LAST_<n> (1 to 1000) or an ISO-8601 duration such as PT1H';
  if (typeof value !== 'string') return `${expected}, got ${JSON.stringify(value)}`;
  if (value === 'ALL') return { kind: 'all' };
  if (value === 'NONE') return { kind: 'none' };
  if (value === 'LAST') return { kind: 'last', count: 1 };
  const last = /^LAST_(\d+)$/.exec(value);
  if (last !== null) {
    const count = Number(last[1]);
    return count >= 1 && count <= MAX_SAVEPOINTS ? { kind: 'last', count } : `${expected}, got ${value}`;
  }
  const ms = value.startsWith('P') ? parseIsoDuration(value) : undefined;
  return ms !== undefined && ms > 0 ? { kind: 'age', ms } : `${expected}, got ${JSON.stringify(value)}`;
};

/** Rules by retention text: asked before every task run an execution creates, and a flow says one of a few. */
const rules = new Map<unknown, RetentionRule>();

const ruleOf = (execution: Execution): RetentionRule => {
  const value = execution.savepointRetention ?? DEFAULT_SAVEPOINT_RETENTION;
  let rule = rules.get(value);
  if (rule === undefined) {
    const parsed = parseSavepointRetention(value);
    rule = typeof parsed === 'string' ? { kind: 'last', count: 10 } : parsed;
    if (rules.size >= 256) rules.clear();
    rules.set(value, rule);
  }
  return rule;
};

/** Keeps the savepoints the rule retains (oldest first); `ALL` is still bounded by MAX_SAVEPOINTS. */
export const retain = (savepoints: readonly Savepoint[], rule: RetentionRule, newestAt: string): readonly Savepoint[] => {
  switch (rule.kind) {
    case 'none':
      return [];
    case 'all':
      return savepoints.slice(-MAX_SAVEPOINTS);
    case 'last':
      return savepoints.slice(-rule.count);
    case 'age': {
      const since = Date.parse(newestAt) - rule.ms;
      return savepoints.filter((s) => Date.parse(s.at) >= since).slice(-MAX_SAVEPOINTS);
    }
  }
};

/** Whether a task run created now starts a new point: the execution runs and no loop iteration holds it. */
const isSavepoint = (execution: Execution, event: TaskRunCreated): boolean => {
  if (execution.state !== 'RUNNING' || event.data.value !== undefined || event.data.iteration !== undefined) return false;
  for (let id = event.data.parentTaskRunId; id !== undefined;) {
    const parent = taskRunById(execution, id);
    if (parent === undefined) return true;
    if (parent.value !== undefined || parent.iteration !== undefined) return false;
    id = parent.parentTaskRunId;
  }
  return true;
};

/**
 * Called by `evolve` before it folds a TaskRunCreated: the execution as it is now becomes the
 * savepoint "before" that task run. The snapshot shares the (immutable) task runs with the state,
 * so keeping one costs a few references, not a copy.
 */
export const takeSavepoint = (execution: Execution, event: TaskRunCreated): Execution => {
  const rule = ruleOf(execution);
  if (rule.kind === 'none' || !isSavepoint(execution, event)) return execution;
  // The task a rewind went back before, created again at once: that point is listed already.
  const rewind = execution.rewinds?.at(-1);
  if (rewind !== undefined && rewind.revision === execution.revision && rewind.taskRunId === event.data.taskRunId) return execution;
  const snapshot: SavepointSnapshot = {
    taskRuns: execution.taskRuns,
    timers: execution.timers,
    ...(execution.variables !== undefined ? { variables: execution.variables } : {}),
  };
  const savepoint: Savepoint = { revision: execution.revision, taskId: event.data.taskId, taskRunId: event.data.taskRunId, at: event.data.at, snapshot };
  return { ...execution, savepoints: retain([...(execution.savepoints ?? []), savepoint], rule, event.data.at) };
};

/** The execution as a read model stores it: savepoints listed, their snapshots left out. */
export const withoutSavepointSnapshots = (execution: Execution): Execution => {
  if (execution.savepoints === undefined || execution.savepoints.every((s) => s.snapshot === undefined)) return execution;
  return { ...execution, savepoints: execution.savepoints.map(({ snapshot: _snapshot, ...listed }) => listed) };
};

/** A rewind target: a savepoint's revision, or "before task X" (its newest savepoint). */
export interface RewindTarget {
  readonly toRevision?: number;
  readonly beforeTaskId?: string;
}

/** The savepoint a target names; a text saying why there is none (it names the field). */
export const findSavepoint = (execution: Pick<Execution, 'id' | 'savepoints'>, target: RewindTarget): Savepoint | { readonly field: string; readonly problem: string } => {
  const offered = execution.savepoints ?? [];
  const listing = offered.length === 0
    ? 'it offers none (see the flow\'s savepointRetention)'
    : `it offers revisions ${offered.map((s) => `${s.revision} (before ${s.taskId})`).join(', ')}`;
  if ((target.toRevision === undefined) === (target.beforeTaskId === undefined)) {
    return { field: 'toRevision', problem: 'give exactly one of toRevision or beforeTaskId' };
  }
  if (target.toRevision !== undefined) {
    const found = offered.find((s) => s.revision === target.toRevision);
    return found ?? { field: 'toRevision', problem: `revision ${target.toRevision} is not a savepoint of execution ${execution.id}: ${listing}` };
  }
  const found = offered.findLast((s) => s.taskId === target.beforeTaskId);
  return found ?? { field: 'beforeTaskId', problem: `execution ${execution.id} has no savepoint before task ${target.beforeTaskId}: ${listing}` };
};
