import { localLogLinesOf, type ExecutionEvent, type TaskJob } from '@chronicle/domain';
import type { LogLine } from './logs.js';

/**
 * Event metadata: this event's log lines are stored by the execution projection, in the
 * transaction that projects the event (so they are visible with the rows the event changes,
 * exactly once), and announced with its live update; the relay sends none of them on `logs`.
 * Set by whoever writes the append, and only where no other writer can interleave lines of the
 * same execution: an append that holds an execution's whole life, from its creation to its end,
 * with no failure line (see `linesStoredWithRows` in libs/use-cases/src/first-step.ts).
 */
export const LOG_LINES_WITH_ROWS = 'logLinesWithRows';

export const logLinesWithRows = (event: { readonly metadata?: Readonly<Record<string, unknown>> }): boolean => event.metadata?.[LOG_LINES_WITH_ROWS] === true;

/**
 * The log lines an event itself carries, in order: a local task's (the executor ran it in the
 * decision that recorded it) and a timer's announcement. The relay publishes them on `logs`, or
 * the projection stores them (LOG_LINES_WITH_ROWS): the same lines either way. A failure's ERROR
 * line is not here: it needs the task id, which the relay looks up (failure-logs.ts).
 */
export function eventLogLines(executionId: string, event: Pick<ExecutionEvent, 'type' | 'data'>): LogLine[] {
  const domain = event as ExecutionEvent;
  switch (domain.type) {
    case 'TaskRunCreated':
    case 'TaskRunAttemptCreated': {
      const job = (domain.data as { job?: TaskJob }).job;
      if (!job?.local) return [];
      return localLogLinesOf(job).map((line) => ({ executionId, taskRunId: job.taskRunId, taskId: job.taskId, ...line, timestamp: domain.data.at }));
    }
    case 'TimerScheduled': {
      const { log, taskRunId, at } = domain.data;
      return log ? [{ executionId, ...(taskRunId !== undefined ? { taskRunId } : {}), taskId: log.taskId, level: log.level, message: log.message, timestamp: at }] : [];
    }
    default:
      return [];
  }
}
