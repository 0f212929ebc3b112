import type { LogLevel } from '@chronicle/domain';

/** One log line of a task attempt, as the worker publishes it on the logs topic. */
export interface LogMessage {
  readonly executionId: string;
  readonly taskRunId: string;
  readonly taskId: string;
  readonly level: LogLevel;
  readonly message: string;
  readonly timestamp: string;
}
