import { logLevelOf } from '@chronicle/domain';
import { TaskFailure, type LogLevel, type RunnableTask } from '../runnable-task.js';

/** `Echo` (io.kestra.plugin.core.debug.Echo, Kestra's deprecated Log): logs `format` at `level` (INFO). */
export const echoTask: RunnableTask = async ({ job, log }) => {
  const { format, level } = job.properties as { format?: unknown; level?: unknown };
  if (format === undefined || format === null) throw new TaskFailure('format is required');
  const parsed: LogLevel = logLevelOf(level);
  log(parsed, typeof format === 'string' ? format : JSON.stringify(format));
  return {};
};
