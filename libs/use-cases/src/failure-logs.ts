import type { LogLine } from '@chronicle/contracts';
import type { RecordedEvent } from '@chronicle/event-store';

/** A line for the `logs` topic (the logs contract's LogLine): a task run's failure, at ERROR. */
export type FailureLogLine = LogLine & { readonly taskRunId: string; readonly level: 'ERROR' };

/**
 * Kestra logs the failure of a task run at ERROR level, wherever it was decided. Chronicle
 * writes that line in ONE place, from the event that records the failure (the relay publishes
 * it, see `intentsOf`), so that a failure decided by the executor (a ForEach over a null, a
 * property that cannot render, a timeout) logs like one the worker reported, and none logs
 * twice. The events: every failed attempt (`TaskRunFailed`, retried or not, allowed to fail or
 * not) and a task run failed by a state change with an error of its own; a flowable parent that
 * only carries up its child's failure (`causeTaskRunId`) logs nothing, and a kill is not a failure.
 * The domain's `errorLogsOf` (what `errorLogs()` returns) follows the same rule.
 */
export function isLoggedFailure(event: RecordedEvent): boolean {
  if (event.type === 'TaskRunFailed') return typeof (event.data as { error?: unknown }).error === 'string';
  if (event.type !== 'TaskRunStateChanged') return false;
  const data = event.data as { state?: string; error?: unknown; causeTaskRunId?: unknown };
  return data.state === 'FAILED' && typeof data.error === 'string' && data.causeTaskRunId === undefined;
}

/** The ERROR line an event calls for (see isLoggedFailure); `taskId` is looked up by the caller. */
export function failureLogOf(event: RecordedEvent, taskId?: string): FailureLogLine | undefined {
  if (!isLoggedFailure(event)) return undefined;
  const data = event.data as { taskRunId: string; error: string; at: string };
  return {
    executionId: event.streamId.replace(/^execution-/, ''),
    taskRunId: data.taskRunId,
    ...(taskId !== undefined ? { taskId } : {}),
    level: 'ERROR',
    message: data.error,
    timestamp: data.at,
  };
}
