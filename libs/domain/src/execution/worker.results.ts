import { attemptFailed, attemptSucceeded } from './attempt.end.js';
import { type Decision, timerIdFor } from './decision.js';
import type { CompleteTaskRun, ExpireTaskRunLease, FailTaskRun, StartTaskRun } from './execution.commands.js';
import { TaskRunNotFoundError } from './execution.errors.js';
import type { TaskRun } from './execution.state.js';
import { addMs, parseIsoDuration } from './iso-duration.js';
import { completeKill } from './kill.control.js';
import { isTerminal } from './state.js';
import { isRunnable, taskOf, taskRunById } from './task-tree.js';
import { isAbandonedRun } from './rewind/rewind.evolver.js';

/** Executions that still take workers' reports: running, paused (attempts go on) or being killed. */
const ACCEPTS_RESULTS = new Set(['RUNNING', 'PAUSED', 'KILLING']);

const existingTaskRun = (d: Decision, taskRunId: string): TaskRun => {
  const run = taskRunById(d.execution, taskRunId);
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
  if (isAbandonedRun(d.execution, command.taskRunId)) return false;
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
  if (isAbandonedRun(d.execution, command.taskRunId)) return false;
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
  attemptSucceeded(d, command.taskRunId, task, command.attempt, command.outputs, false, command.metrics, command.logFile, command.workingFiles);
  completeKill(d);
  return true;
};

/**
 * A failed attempt. One the worker aborted on a kill request (`killed`), or any failure while
 * the execution is being killed, ends the task run KILLED and is never retried.
 */
export const failAttempt = (d: Decision, command: FailTaskRun): boolean => {
  if (!acceptResult(d, command)) return false;
  const task = taskOf(d.flow, existingTaskRun(d, command.taskRunId).taskId);
  if (task === undefined) return false;
  if (d.execution.state === 'KILLING' || command.killed === true) {
    d.emit({ type: 'TaskRunStateChanged', data: { taskRunId: command.taskRunId, state: 'KILLED', error: command.error, at: d.now } });
    completeKill(d);
    return true;
  }
  attemptFailed(d, command.taskRunId, task, command.attempt, command.error, undefined, command.metrics, command.logFile);
  return true;
};

/**
 * ExpireTaskRunLease: the worker of the running attempt went silent. The attempt ends FAILED
 * ('worker lost') and the task run goes RETRYING with no timer, so the progress step dispatches
 * the next attempt at once (or at resume, when PAUSED) whatever the retry policy says: losing
 * a worker is not the task's failure. A worker that still holds the attempt is told to stop
 * (its late result would be stale anyway). While KILLING the task run ends KILLED instead.
 * Any other attempt, or a task run that moved on, decides nothing.
 */
export const expireLease = (d: Decision, command: ExpireTaskRunLease): boolean => {
  if (!ACCEPTS_RESULTS.has(d.execution.state)) return false;
  const run = d.execution.taskRuns.find((t) => t.id === command.taskRunId);
  const task = run === undefined ? undefined : taskOf(d.flow, run.taskId);
  const last = run?.attempts[run.attempts.length - 1];
  if (run === undefined || task === undefined || !isRunnable(d.taskTypes, task) || isTerminal(run.state)) return false;
  if (last === undefined || last.number !== command.attempt || last.state !== 'RUNNING') return false;
  const error = `worker lost (lease expired): attempt ${last.number} is taken over`;
  d.emit({ type: 'TaskRunKillRequested', data: { taskRunId: run.id, attempt: last.number, at: d.now } });
  const timeout = timerIdFor(run.id, 'timeout', last.number);
  if (d.execution.timers.some((t) => t.timerId === timeout)) d.emit({ type: 'TimerCancelled', data: { timerId: timeout, at: d.now } });
  if (d.execution.state === 'KILLING') {
    d.emit({ type: 'TaskRunStateChanged', data: { taskRunId: run.id, state: 'KILLED', error, at: d.now } });
    completeKill(d);
    return true;
  }
  d.emit({ type: 'TaskRunFailed', data: { taskRunId: run.id, attempt: last.number, error, taskRunState: 'RETRYING', at: d.now } });
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
  if (task === undefined || ms === undefined || !isRunnable(d.taskTypes, task)) return;
  d.emit({ type: 'TimerScheduled', data: { timerId: timerIdFor(run.id, 'timeout', attempt), fireAt: addMs(d.now, ms), purpose: 'timeout', taskRunId: run.id, at: d.now } });
};
