import { attemptFailed } from './attempt.end.js';
import { type Decision, timerIdFor } from './decision.js';
import type { FireTimer } from './execution.commands.js';
import { completeKill, kill } from './kill.control.js';
import { advance, restoreReplayed } from './lifecycle.control.js';
import { isTerminal } from './state.js';
import { timeoutMessage } from './timeout-message.js';
import { isRunnable, taskOf } from './task-tree.js';
import { failPausedPause, pauseDurationElapsed } from './pause-elapsed.js';
import { cancelTaskTimeout } from './task-timeout.arm.js';
import { timeOutNonRunnable } from './task-timeout.js';
import { maxDurationSlaDue } from './sla.control.js';

/**
 * A durable timer is due. Only a pending timer acts (a cancelled or already fired one decides
 * nothing), and it is marked fired first. A retry timer needs nothing more: the progress step
 * then dispatches the next attempt of the RETRYING task run.
 */
export const fireTimer = (d: Decision, command: FireTimer): boolean => {
  const timer = d.execution.timers.find((t) => t.timerId === command.timerId);
  if (timer === undefined || isTerminal(d.execution.state)) return false;
  d.emit({ type: 'TimerFired', data: { timerId: timer.timerId, at: d.now } });
  const run = timer.taskRunId === undefined ? undefined : d.execution.taskRuns.find((t) => t.id === timer.taskRunId);
  switch (timer.purpose) {
    case 'retry':
      return true;
    case 'kill':
      completeKill(d, true);
      return true;
    case 'sleep':
      if (run?.state === 'RUNNING') {
        cancelTaskTimeout(d, run.id);
        d.emit({ type: 'TaskRunStateChanged', data: { taskRunId: run.id, state: 'SUCCESS', at: d.now } });
      }
      return true;
    case 'pause': {
      const task = run === undefined ? undefined : taskOf(d.flow, run.taskId);
      if (run?.state === 'PAUSED' && task !== undefined) pauseDurationElapsed(d, run, task);
      return true;
    }
    case 'start':
      // `scheduledAt` came: the execution starts as an AdvanceExecution would start it.
      if (advance(d, command)) restoreReplayed(d, d.execution.replayOf?.taskRuns ?? []);
      return true;
    case 'loop':
      // LoopUntil/WaitFor waited out its interval: the next iteration starts.
      if (run?.state === 'PAUSED') d.emit({ type: 'TaskRunStateChanged', data: { taskRunId: run.id, state: 'RUNNING', at: d.now } });
      return true;
    case 'timeout':
      if (run === undefined) {
        if (!maxDurationSlaDue(d, timer.timerId)) kill(d, timeoutReason(d));
      }
      else timeOutTaskRun(d, run.id, timer.timerId);
      return true;
  }
};

/** A Pause still PAUSED fails; a runnable attempt still running is told to stop and fails (retries apply). */
const timeOutTaskRun = (d: Decision, taskRunId: string, timerId: string): void => {
  const run = d.taskRun(taskRunId);
  const task = taskOf(d.flow, run.taskId);
  if (task === undefined || isTerminal(run.state)) return;
  const message = timeoutMessage(task.id, task.timeout);
  if (timeOutNonRunnable(d, run, task, timerId, message)) return;
  if (task.type === 'Pause' && run.state === 'PAUSED') return failPausedPause(d, run, task, message);
  const last = run.attempts[run.attempts.length - 1];
  // A runnable's timeout timer belongs to one attempt; a later attempt has its own.
  if (!isRunnable(d.taskTypes, task) || last === undefined || isTerminal(last.state) || timerIdFor(run.id, 'timeout', last.number) !== timerId) return;
  if (last.state === 'RUNNING') d.emit({ type: 'TaskRunKillRequested', data: { taskRunId: run.id, attempt: last.number, at: d.now } });
  else d.emit({ type: 'TaskRunStarted', data: { taskRunId: run.id, attempt: last.number, at: d.now } });
  attemptFailed(d, run.id, task, last.number, message);
};

/** Why a flow timeout / run maxRuntime killed the execution. */
const timeoutReason = (d: Decision): string => {
  const maxRuntime = d.execution.options?.maxRuntime;
  return maxRuntime !== undefined
    ? `the execution exceeded its maxRuntime ${maxRuntime}`
    : `the execution exceeded the flow timeout ${d.flow.timeout ?? ''}`.trim();
};
