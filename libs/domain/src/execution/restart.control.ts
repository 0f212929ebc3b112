import { dispatchAttempt } from './attempts.js';
import { type Decision, timerIdFor } from './decision.js';
import type { TaskRun } from './execution.state.js';
import { RESTARTABLE_STATES } from './control-acceptance.js';
import { addMs, parseIsoDuration } from './iso-duration.js';
import { armFlowTimeout } from './lifecycle.control.js';
import { hasAttempts, taskOf } from './task-tree.js';
import { sleepUntil } from './sleep-until.js';
import { restartForEachItems } from './for-each-item.items.js';
import { awaitsExecutionLocks, taskMayTakeLocks } from './locks/named-locks.control.js';

const RESTARTABLE = new Set(['FAILED', 'KILLED']);

/**
 * RestartExecution (FAILED / KILLED / WARNING): the failed or killed leaf task runs run again in
 * the same execution, a new attempt each (RESTARTED -> RUNNING), their ended parents reopen, and
 * the execution goes RESTARTED -> RUNNING. Nothing to re-run decides nothing.
 *
 * Named locks are taken again, as a fresh run takes them: a flow with `locks` waits RESTARTED
 * (its claim WAITING) until GrantLocks continues the restart (`continueRestart`); a re-run task
 * with `locks` waits RESTARTED until its own claim is granted (`beginRestartedLeaves`).
 */
export const restart = (d: Decision): boolean => {
  if (!RESTARTABLE_STATES.includes(d.execution.state)) return false;
  if (restartPlan(d).leaves.length === 0) return false;
  d.emit({ type: 'ExecutionStateChanged', data: { state: 'RESTARTED', at: d.now } });
  if (awaitsExecutionLocks(d)) return false;
  return runRestart(d);
};

/** GrantLocks for the execution's own claim while it waits RESTARTED: the restart goes on. */
export const continueRestart = (d: Decision): boolean => d.execution.state === 'RESTARTED' && runRestart(d);

/** Re-run task runs that waited RESTARTED for their task's locks and hold them now: they begin. */
export const beginRestartedLeaves = (d: Decision): void => {
  if (d.execution.state !== 'RUNNING') return;
  for (const claim of d.execution.lockClaims ?? []) {
    if (claim.taskRunId === undefined || claim.state !== 'HELD') continue;
    const run = d.taskRun(claim.taskRunId);
    const task = taskOf(d.flow, run.taskId);
    if (run.state === 'RESTARTED' && task !== undefined) rerunLeaf(d, run, task);
  }
};

const restartPlan = (d: Decision): { leaves: TaskRun[]; reopen: Set<string> } => {
  const execution = d.execution;
  const parentIds = new Set(execution.taskRuns.flatMap((t) => (t.parentTaskRunId !== undefined ? [t.parentTaskRunId] : [])));
  const leaves = execution.taskRuns.filter((t) => RESTARTABLE.has(t.state) && (!parentIds.has(t.id) || isLeafType(d, t)));
  const byId = new Map(execution.taskRuns.map((t) => [t.id, t]));
  const reopen = new Set<string>();
  for (const leaf of leaves) {
    for (let id = leaf.parentTaskRunId; id !== undefined; id = byId.get(id)?.parentTaskRunId) reopen.add(id);
  }
  return { leaves, reopen };
};

/** RESTARTED -> RUNNING: the run's timeout counts again, ended parents reopen, the leaves re-run. */
const runRestart = (d: Decision): boolean => {
  const { leaves, reopen } = restartPlan(d);
  d.emit({ type: 'ExecutionStateChanged', data: { state: 'RUNNING', reason: 'restarted', at: d.now } });
  armFlowTimeout(d, d.execution.stateHistory.filter((h) => h.state === 'RESTARTED').length);
  for (const parent of d.execution.taskRuns.filter((t) => reopen.has(t.id) && ['FAILED', 'KILLED', 'WARNING'].includes(t.state))) {
    d.emit(
      { type: 'TaskRunStateChanged', data: { taskRunId: parent.id, state: 'RESTARTED', at: d.now } },
      { type: 'TaskRunStateChanged', data: { taskRunId: parent.id, state: 'RUNNING', at: d.now } },
    );
  }
  for (const leaf of leaves) restartLeaf(d, leaf);
  return true;
};

const isLeafType = (d: Decision, run: TaskRun): boolean => {
  const task = taskOf(d.flow, run.taskId);
  return task !== undefined && (hasAttempts(d.taskTypes, task) || task.type === 'Sleep' || task.type === 'SleepUntil');
};

const restartLeaf = (d: Decision, leaf: TaskRun): void => {
  const task = taskOf(d.flow, leaf.taskId);
  if (task === undefined) return;
  d.emit({ type: 'TaskRunStateChanged', data: { taskRunId: leaf.id, state: 'RESTARTED', at: d.now } });
  // Its claim went when it ended: asked for again; it re-runs once granted.
  if (!taskMayTakeLocks(d, d.taskRun(leaf.id), task)) return;
  rerunLeaf(d, d.taskRun(leaf.id), task);
};

const rerunLeaf = (d: Decision, leaf: TaskRun, task: NonNullable<ReturnType<typeof taskOf>>): void => {
  if (task.type === 'ForEachItemExecutable') {
    restartForEachItems(d, leaf, task);
    return;
  }
  if (hasAttempts(d.taskTypes, task)) {
    dispatchAttempt(d, leaf.id, task, leaf.attempts.length + 1);
    return;
  }
  d.emit({ type: 'TaskRunStateChanged', data: { taskRunId: leaf.id, state: 'RUNNING', at: d.now } });
  if (task.type === 'Sleep') {
    const ms = typeof task.properties.duration === 'string' ? (parseIsoDuration(task.properties.duration) ?? 0) : 0;
    d.emit({ type: 'TimerScheduled', data: { timerId: timerIdFor(leaf.id, 'sleep', leaf.stateHistory.length), fireAt: addMs(d.now, ms), purpose: 'sleep', taskRunId: leaf.id, at: d.now } });
  }
  // SleepUntil: until the date its first run rendered (kept in its outputs); now if it never got that far.
  if (task.type === 'SleepUntil') {
    const until = typeof leaf.outputs?.until === 'string' ? leaf.outputs.until : d.now;
    sleepUntil(d, leaf.id, until, timerIdFor(leaf.id, 'sleep', leaf.stateHistory.length));
  }
};
