import type { TaskDefinition } from '../flow/flow.model.js';
import { attemptFailed } from './attempt.end.js';
import { type Decision, timerIdFor } from './decision.js';
import type { TaskRun } from './execution.state.js';
import { resumeIfNoPause } from './pause.control.js';
import { isTerminal } from './state.js';
import { stopRuns } from './stop-runs.js';
import { isRunnable } from './task-tree.js';

/**
 * The timeout of a Sleep, Subflow or flowable task run fired (armed by task-timeout.arm.ts); true
 * when the task is one of those. A Subflow's timeout belongs to one attempt (its child is killed
 * and the attempt fails, retries apply); a flowable's unfinished descendants end KILLED and it
 * fails; a Sleep fails.
 */
export const timeOutNonRunnable = (d: Decision, run: TaskRun, task: TaskDefinition, timerId: string, message: string): boolean => {
  if (isRunnable(d.taskTypes, task) || task.type === 'Pause') return false;
  if (task.type === 'Subflow') {
    const last = run.attempts[run.attempts.length - 1];
    if (last === undefined || isTerminal(last.state) || run.state !== 'RUNNING' || timerIdFor(run.id, 'timeout', last.number) !== timerId) return true;
    if (run.childExecutionId !== undefined) {
      d.emit({ type: 'TaskRunKillRequested', data: { taskRunId: run.id, attempt: last.number, childExecutionId: run.childExecutionId, at: d.now } });
    }
    attemptFailed(d, run.id, task, last.number, message);
    return true;
  }
  if (run.state !== 'RUNNING' || timerIdFor(run.id, 'timeout') !== timerId) return true;
  stopDescendants(d, run.id);
  resumeIfNoPause(d);
  for (const timer of d.execution.timers.filter((t) => t.taskRunId === run.id && t.timerId !== timerId)) {
    d.emit({ type: 'TimerCancelled', data: { timerId: timer.timerId, at: d.now } });
  }
  // As any failure of the task: allowFailure turns it into WARNING, allowWarning that into SUCCESS.
  const state = task.allowFailure !== true ? 'FAILED' : task.allowWarning === true ? 'SUCCESS' : 'WARNING';
  d.emit({ type: 'TaskRunStateChanged', data: { taskRunId: run.id, state, error: message, at: d.now } });
  return true;
};

/** Every unfinished task run under `parentId` ends KILLED (see stopRuns). */
const stopDescendants = (d: Decision, parentId: string): void => {
  const under = new Set([parentId]);
  for (const t of d.execution.taskRuns) if (t.parentTaskRunId !== undefined && under.has(t.parentTaskRunId)) under.add(t.id);
  under.delete(parentId);
  stopRuns(d, under, 'killed: an enclosing task timed out');
};
