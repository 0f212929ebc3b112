import type { TaskDefinition } from '../flow/flow.model.js';
import { type Decision, timerIdFor } from './decision.js';
import { addMs, parseIsoDuration } from './iso-duration.js';
import { isRunnable } from './task-tree.js';

/**
 * A task's `timeout` on the task runs no worker runs: Sleep, Subflow (per attempt: its child
 * execution is killed and the attempt fails, retries apply) and the flowables (their unfinished
 * descendants are killed and the flowable fails). In Kestra Sleep is a worker task, whose
 * timeout fails it; Chronicle's Sleep is a durable timer, so the timeout is one too. A runnable's
 * timeout is armed when its worker starts the attempt (worker.results.ts), a Pause's when it
 * pauses (task-run.start.ts).
 */
export const armTaskTimeout = (d: Decision, taskRunId: string, task: TaskDefinition, attempt?: number): void => {
  const ms = task.timeout === undefined ? undefined : parseIsoDuration(task.timeout);
  if (ms === undefined || isRunnable(d.taskTypes, task) || task.type === 'Pause') return;
  d.emit({ type: 'TimerScheduled', data: { timerId: timerIdFor(taskRunId, 'timeout', attempt), fireAt: addMs(d.now, ms), purpose: 'timeout', taskRunId, at: d.now } });
};

/** The timeout timer of a task run that ended first: cancelled so it never fires. */
export const cancelTaskTimeout = (d: Decision, taskRunId: string, attempt?: number): void => {
  const timerId = timerIdFor(taskRunId, 'timeout', attempt);
  if (d.execution.timers.some((t) => t.timerId === timerId)) d.emit({ type: 'TimerCancelled', data: { timerId, at: d.now } });
};
