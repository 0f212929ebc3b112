import type { JsonObject } from '../shared/json.js';
import { LOG_LEVELS, logLevelOf, type LocalLogLine } from './log.task-type.js';
import { optional, oneOfAnyCase, propertyValidator, required, scalar } from './property-checks.js';
import { LocalTaskError, type TaskTypeDefinition } from './task-type-definition.js';

/**
 * `Echo` (io.kestra.plugin.core.debug.Echo, Kestra's deprecated Log): logs `format` at `level`
 * (INFO). Its whole work is the line it logs, a pure function the worker's runner logs
 * (libs/tasks/src/debug/echo.task.ts) and the domain's test driver runs.
 */
export function echoLineOf(properties: JsonObject): LocalLogLine {
  const { format, level } = properties;
  if (format === undefined || format === null) throw new LocalTaskError('format is required');
  return { level: logLevelOf(level), message: typeof format === 'string' ? format : JSON.stringify(format) };
}

export const ECHO_TASK_TYPE = {
  name: 'Echo',
  properties: ['format', 'level'],
  fullName: 'io.kestra.plugin.core.debug.Echo',
  kind: 'runnable',
  validate: propertyValidator({ format: required('format', scalar), level: optional(oneOfAnyCase(LOG_LEVELS)) }),
  // No outputs: the worker logs the line.
  run: (properties: JsonObject) => (echoLineOf(properties), {}),
} as const satisfies TaskTypeDefinition;
