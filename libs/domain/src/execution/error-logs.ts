import type { JsonObject } from '../shared/json.js';
import type { Execution, TaskRun } from './execution.state.js';

/**
 * The ERROR log lines of an execution, as Kestra's `errorLogs()` returns them: one per failure of
 * a task run of its own, oldest first. Chronicle keeps logs out of the event log, so they are
 * derived from the task runs, by the same rule that writes them (see
 * `isLoggedFailure` in @chronicle/use-cases): a failed attempt logs its error; a task run that
 * failed without a failed attempt (a flowable, or a task that could not start) logs its own
 * error; a parent that only carries up a child's failure (`causeTaskRunId`) logs nothing.
 */
export const errorLogsOf = (execution: Execution): JsonObject[] => {
  const lines: { entry: JsonObject; at: string }[] = [];
  const line = (run: TaskRun, message: string, at: string | undefined, attemptNumber?: number): void => {
    lines.push({
      at: at ?? '',
      entry: {
        namespace: execution.namespace,
        flowId: execution.flowId,
        executionId: execution.id,
        taskId: run.taskId,
        taskRunId: run.id,
        ...(attemptNumber !== undefined ? { attemptNumber } : {}),
        level: 'ERROR',
        message,
        ...(at !== undefined ? { timestamp: at } : {}),
      },
    });
  };
  for (const run of execution.taskRuns) {
    for (const attempt of run.attempts) {
      if (attempt.state === 'FAILED' && attempt.error !== undefined) line(run, attempt.error, attempt.endDate, attempt.number);
    }
    const last = run.attempts[run.attempts.length - 1];
    const loggedByAttempt = last?.state === 'FAILED' && last.error === run.error && last.endDate === run.endDate;
    if (run.state === 'FAILED' && run.error !== undefined && run.causeTaskRunId === undefined && !loggedByAttempt) {
      line(run, run.error, run.endDate);
    }
  }
  // Stable: lines of the same instant keep the task runs' creation order.
  return lines.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)).map((l) => l.entry);
};
