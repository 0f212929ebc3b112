import { TaskFailure, type LogLevel, type RunnableTask } from '../runnable-task.js';

const LEVELS = new Set<LogLevel>(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR']);

/** `Log` (io.kestra.plugin.core.log.Log): `message` a string or a list, `level` (INFO). No outputs. */
export const logTask: RunnableTask = async ({ job, log }) => {
  const { message, level = 'INFO' } = job.properties as { message?: unknown; level?: unknown };
  if (typeof level !== 'string' || !LEVELS.has(level.toUpperCase() as LogLevel)) throw new TaskFailure(`level must be one of ${[...LEVELS].join(', ')}`);
  const lines = Array.isArray(message) ? message : [message];
  for (const line of lines) log(level.toUpperCase() as LogLevel, typeof line === 'string' ? line : JSON.stringify(line));
  return {};
};
