import { type Decision, timerIdFor } from './decision.js';
import type { TaskRun } from './execution.state.js';
import { addMs } from './iso-duration.js';
import { isTerminal } from './state.js';
import { isRunnable, taskOf } from './task-tree.js';
import { itemsChildIdFor } from './for-each-item.items.js';

/** How long a kill waits for workers to abort their attempts before it completes anyway. */
export const KILL_GRACE_MS = 30_000;

/** An attempt a worker holds (started): it must be told to stop, and the kill waits for it. */
const workerHolds = (d: Decision, run: TaskRun): boolean => {
  const task = taskOf(d.flow, run.taskId);
  const last = run.attempts[run.attempts.length - 1];
  return task !== undefined && isRunnable(d.taskTypes, task) && !isTerminal(run.state) && last?.state === 'RUNNING';
};

/**
 * Kestra's kill. CREATED / QUEUED (and a restart still waiting for its named locks) end KILLED at once. RUNNING / PAUSED go KILLING: workers are
 * told to abort their running attempts (TaskRunKillRequested, which also names a Subflow's child
 * so the application kills it), every other unfinished leaf ends KILLED now, and a `kill` timer
 * bounds the wait; the kill completes when no worker holds an attempt any more, or at that timer.
 */
export const kill = (d: Decision, reason: string): void => {
  const state = d.execution.state;
  if (state === 'CREATED' || state === 'QUEUED' || state === 'RESTARTED') {
    // A scheduled start that has not fired never will.
    for (const timer of d.execution.timers) d.emit({ type: 'TimerCancelled', data: { timerId: timer.timerId, at: d.now } });
    d.emit({ type: 'ExecutionStateChanged', data: { state: 'KILLED', reason, at: d.now } });
    return;
  }
  if (state !== 'RUNNING' && state !== 'PAUSED') return;
  d.emit({ type: 'ExecutionStateChanged', data: { state: 'KILLING', reason, at: d.now } });
  for (const run of d.execution.taskRuns) {
    if (isTerminal(run.state)) continue;
    const last = run.attempts[run.attempts.length - 1];
    if (workerHolds(d, run) && last !== undefined) {
      d.emit({ type: 'TaskRunKillRequested', data: { taskRunId: run.id, attempt: last.number, at: d.now } });
    } else if (typeof run.outputs?.numberOfBatches === 'number' && taskOf(d.flow, run.taskId)?.type === 'ForEachItemExecutable') {
      // ForEachItem's subflow executions that have not ended are killed with it.
      const ended = new Set((run.endedChildren ?? []).map((c) => c.iteration));
      for (let i = 1; i <= run.outputs.numberOfBatches; i++) {
        if (!ended.has(i)) d.emit({ type: 'TaskRunKillRequested', data: { taskRunId: run.id, attempt: Math.max(1, run.attempts.length), childExecutionId: itemsChildIdFor(run.id, i, Math.max(1, run.attempts.length)), at: d.now } });
      }
    } else if (run.childExecutionId !== undefined && last !== undefined) {
      d.emit({ type: 'TaskRunKillRequested', data: { taskRunId: run.id, attempt: last.number, childExecutionId: run.childExecutionId, at: d.now } });
    }
  }
  killLeaves(d);
  if (!completeKill(d)) {
    d.emit({ type: 'TimerScheduled', data: { timerId: timerIdFor(d.execution.id, 'kill'), fireAt: addMs(d.now, KILL_GRACE_MS), purpose: 'kill', at: d.now } });
  }
};

/** Ends KILLED every unfinished task run no worker holds, children before their parents. */
const killLeaves = (d: Decision, all = false): void => {
  const parents = new Set(d.execution.taskRuns.flatMap((t) => (t.parentTaskRunId !== undefined && !isTerminal(t.state) ? [t.parentTaskRunId] : [])));
  for (const run of [...d.execution.taskRuns].reverse()) {
    if (isTerminal(run.state) || parents.has(run.id) || (!all && workerHolds(d, run))) continue;
    d.emit({ type: 'TaskRunStateChanged', data: { taskRunId: run.id, state: 'KILLED', at: d.now } });
  }
};

/**
 * While KILLING: once no worker holds an attempt (or `force`, when the bound expired), every
 * unfinished task run ends KILLED, pending timers are cancelled and the execution is KILLED.
 */
export const completeKill = (d: Decision, force = false): boolean => {
  if (d.execution.state !== 'KILLING') return false;
  if (!force && d.execution.taskRuns.some((t) => workerHolds(d, t))) return false;
  for (const run of [...d.execution.taskRuns].reverse()) {
    if (!isTerminal(d.taskRun(run.id).state)) d.emit({ type: 'TaskRunStateChanged', data: { taskRunId: run.id, state: 'KILLED', at: d.now } });
  }
  for (const timer of d.execution.timers) d.emit({ type: 'TimerCancelled', data: { timerId: timer.timerId, at: d.now } });
  d.emit({ type: 'ExecutionStateChanged', data: { state: 'KILLED', ...(d.execution.killReason !== undefined ? { reason: d.execution.killReason } : {}), at: d.now } });
  return true;
};
