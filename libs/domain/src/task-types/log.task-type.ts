import type { JsonObject } from '../shared/json.js';
import { LocalTaskError, type TaskPropertyIssue, type TaskTypeDefinition } from './task-type-definition.js';

/**
 * `Log` (io.kestra.plugin.core.log.Log), all of it that is pure: its definition, its property
 * checks and its run (the lines it logs). A local task: the executor runs it inside the decision;
 * the worker's runner (libs/tasks/src/log/log.task.ts) logs the same lines.
 */
export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LocalLogLine {
  readonly level: LogLevel;
  readonly message: string;
}

const validateLog = (properties: JsonObject): TaskPropertyIssue[] => {
  const issues: TaskPropertyIssue[] = [];
  const { message, level } = properties;
  if (message === undefined || message === null) {
    issues.push({ path: [], message: 'required property "message" is missing' });
  } else if (Array.isArray(message)) {
    if (message.length === 0) issues.push({ path: ['message'], message: 'must be a string or a non-empty list of strings' });
    message.forEach((item, index) => {
      if (typeof item !== 'string') issues.push({ path: ['message', index], message: 'must be a string' });
    });
  } else if (typeof message !== 'string') {
    issues.push({ path: ['message'], message: 'must be a string or a list of strings' });
  }
  if (level !== undefined && !(typeof level === 'string' && (LOG_LEVELS as readonly string[]).includes(level))) {
    issues.push({ path: ['level'], message: `must be one of ${LOG_LEVELS.join(', ')}` });
  }
  return issues;
};

/** A task's `level` property (any case; INFO when absent), as Log and Echo take it. */
export function logLevelOf(level: unknown = 'INFO'): LogLevel {
  const upper = typeof level === 'string' ? level.toUpperCase() : undefined;
  if (upper === undefined || !(LOG_LEVELS as readonly string[]).includes(upper)) throw new LocalTaskError(`level must be one of ${LOG_LEVELS.join(', ')}`);
  return upper as LogLevel;
}

/** `Log`: `message` a string or a list of them (one line each), at `level` (INFO by default). */
export function logLinesOf(properties: JsonObject): LocalLogLine[] {
  const level = logLevelOf(properties.level);
  const { message } = properties;
  const lines = Array.isArray(message) ? message : [message ?? null];
  return lines.map((line) => ({ level, message: typeof line === 'string' ? line : JSON.stringify(line) }));
}

export const LOG_TASK_TYPE = {
  name: 'Log',
  fullName: 'io.kestra.plugin.core.log.Log',
  kind: 'runnable',
  properties: ['message', 'level'],
  validate: validateLog,
  // No outputs; its lines are derived from its job (local-tasks.ts, localLogLinesOf).
  run: (properties: JsonObject) => (logLinesOf(properties), {}),
  local: true,
} as const satisfies TaskTypeDefinition;
