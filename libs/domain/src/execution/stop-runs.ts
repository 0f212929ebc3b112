import type { Decision } from './decision.js';
import { isTerminal } from './state.js';
import { isRunnable, taskOf } from './task-tree.js';

/**
 * Ends the given unfinished task runs KILLED, deepest first (pass them in creation order): a
 * worker holding an attempt is told to stop it, a Subflow's child is killed, their timers are
 * cancelled. Used when part of an execution must stop at once (a flowable's timeout, a task's
 * retry that replaces the whole execution).
 */
export const stopRuns = (d: Decision, runIds: ReadonlySet<string>, reason: string): void => {
  for (const run of [...d.execution.taskRuns].reverse()) {
    if (!runIds.has(run.id) || isTerminal(run.state)) continue;
    const last = run.attempts[run.attempts.length - 1];
    const task = taskOf(d.flow, run.taskId);
    if (last !== undefined && !isTerminal(last.state) && task !== undefined && (isRunnable(d.taskTypes, task) || run.childExecutionId !== undefined)) {
      d.emit({
        type: 'TaskRunKillRequested',
        data: { taskRunId: run.id, attempt: last.number, ...(task.type === 'Subflow' && run.childExecutionId !== undefined ? { childExecutionId: run.childExecutionId } : {}), at: d.now },
      });
    }
    for (const timer of d.execution.timers.filter((t) => t.taskRunId === run.id)) d.emit({ type: 'TimerCancelled', data: { timerId: timer.timerId, at: d.now } });
    d.emit({ type: 'TaskRunStateChanged', data: { taskRunId: run.id, state: 'KILLED', error: reason, at: d.now } });
  }
};
