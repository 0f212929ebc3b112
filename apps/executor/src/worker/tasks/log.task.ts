import { TaskFailure, type LogLevel, type RunnableTask } from '../runnable-task.js';

const LEVELS = new Set<LogLevel>(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR']);

export const parseLevel = (level: unknown = 'INFO'): LogLevel => {
  if (typeof level !== 'string' || !LEVELS.has(level.toUpperCase() as LogLevel)) throw new TaskFailure(`level must be one of ${[...LEVELS].join(', ')}`);
  return level.toUpperCase() as LogLevel;
};

/** `Log` (io.kestra.plugin.core.log.Log): `message` a string or a list, `level` (INFO). No outputs. */
export const logTask: RunnableTask = async ({ job, log }) => {
  const { message, level } = job.properties as { message?: unknown; level?: unknown };
  const parsed = parseLevel(level);
  const lines = Array.isArray(message) ? message : [message];
  for (const line of lines) log(parsed, typeof line === 'string' ? line : JSON.stringify(line));
  return {};
};
