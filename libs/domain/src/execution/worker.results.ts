import { attemptFailed, attemptSucceeded } from './attempts.js';
import { type Decision, timerIdFor } from './decision.js';
import type { CompleteTaskRun, FailTaskRun, StartTaskRun } from './execution.commands.js';
import { TaskRunNotFoundError } from './execution.errors.js';
import type { TaskRun } from './execution.state.js';
import { addMs, parseIsoDuration } from './iso-duration.js';
import { completeKill } from './kill.control.js';
import { isTerminal } from './state.js';
import { isRunnable, taskOf } from './task-tree.js';

/** Executions that still take workers' reports: running, paused (attempts go on) or being killed. */
const ACCEPTS_RESULTS = new Set(['RUNNING', 'PAUSED', 'KILLING']);

const existingTaskRun = (d: Decision, taskRunId: string): TaskRun => {
  const run = d.execution.taskRuns.find((t) => t.id === taskRunId);
  if (run === undefined) throw new TaskRunNotFoundError(d.execution.id, taskRunId);
  return run;
};

/** The attempt a worker may start now: the first of a CREATED task run, or the one a retry queued. */
const startable = (run: TaskRun, attempt: number): boolean => {
  const last = run.attempts[run.attempts.length - 1];
  if (run.state === 'CREATED') return attempt === run.attempts.length + 1;
  return run.state === 'RUNNING' && last?.number === attempt && last.state === 'CREATED';
};

/** A worker began an attempt; its `timeout`, if any, starts now. Stale or duplicate: nothing. */
export const startAttemptByWorker = (d: Decision, command: StartTaskRun): boolean => {
  if (!ACCEPTS_RESULTS.has(d.execution.state) || d.execution.state === 'KILLING') return false;
  const run = existingTaskRun(d, command.taskRunId);
  if (!startable(run, command.attempt)) return false;
  d.emit(started(command));
  scheduleTimeout(d, run, command.attempt);
  return true;
};

/**
 * Whether a worker's result applies: to the running attempt, or to the startable one if its
 * start never reached us (the result then implies the start). False means stale or duplicate.
 */
const acceptResult = (d: Decision, command: CompleteTaskRun | FailTaskRun): boolean => {
  if (!ACCEPTS_RESULTS.has(d.execution.state)) return false;
  const run = existingTaskRun(d, command.taskRunId);
  if (startable(run, command.attempt) && d.execution.state !== 'KILLING') {
    d.emit(started(command));
    return true;
  }
  const last = run.attempts[run.attempts.length - 1];
  return !isTerminal(run.state) && last?.number === command.attempt && last.state === 'RUNNING';
};

export const completeAttempt = (d: Decision, command: CompleteTaskRun): boolean => {
  if (!acceptResult(d, command)) return false;
  const task = taskOf(d.flow, existingTaskRun(d, command.taskRunId).taskId);
  if (task === undefined) return false;
  attemptSucceeded(d, command.taskRunId, task, command.attempt, command.outputs);
  completeKill(d);
  return true;
};

/** A failed attempt; while the execution is being killed it means the worker aborted it: KILLED. */
export const failAttempt = (d: Decision, command: FailTaskRun): boolean => {
  if (!acceptResult(d, command)) return false;
  const task = taskOf(d.flow, existingTaskRun(d, command.taskRunId).taskId);
  if (task === undefined) return false;
  if (d.execution.state === 'KILLING') {
    d.emit({ type: 'TaskRunStateChanged', data: { taskRunId: command.taskRunId, state: 'KILLED', error: command.error, at: d.now } });
    completeKill(d);
    return true;
  }
  attemptFailed(d, command.taskRunId, task, command.attempt, command.error);
  return true;
};

const started = (command: StartTaskRun | CompleteTaskRun | FailTaskRun) => ({
  type: 'TaskRunStarted' as const,
  data: {
    taskRunId: command.taskRunId,
    attempt: command.attempt,
    ...('workerId' in command && command.workerId !== undefined ? { workerId: command.workerId } : {}),
    at: command.now,
  },
});

const scheduleTimeout = (d: Decision, run: TaskRun, attempt: number): void => {
  const task = taskOf(d.flow, run.taskId);
  const ms = task?.timeout === undefined ? undefined : parseIsoDuration(task.timeout);
  if (task === undefined || ms === undefined || !isRunnable(task)) return;
  d.emit({ type: 'TimerScheduled', data: { timerId: timerIdFor(run.id, 'timeout', attempt), fireAt: addMs(d.now, ms), purpose: 'timeout', taskRunId: run.id, at: d.now } });
};
