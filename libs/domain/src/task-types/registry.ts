import type { JsonObject, JsonValue } from '../shared/json.js';
import { EXECUTION_TASK_TYPES } from './execution.task-types.js';
import { FOR_EACH_ITEM_TASK_TYPES } from './for-each-item.task-types.js';
import { FLOWABLE_TASK_TYPES } from './flow.task-types.js';
import { RUNNABLE_TASK_TYPES } from './runnable.task-types.js';
import { WRAPPER_TASK_TYPES } from './wrapper.task-types.js';
import { KESTRA_TASK_ALIASES } from './aliases.js';
import type { TaskPropertyIssue, TaskTypeDefinition } from './task-type-definition.js';

export type { TaskKind, TaskPropertyIssue, TaskTypeDefinition } from './task-type-definition.js';

export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const isPlainObject = (value: JsonValue | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

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

const validateOutputValues = (properties: JsonObject): TaskPropertyIssue[] => {
  const { values } = properties;
  if (values === undefined || values === null) return [{ path: [], message: 'required property "values" is missing' }];
  if (!isPlainObject(values)) return [{ path: ['values'], message: 'must be a mapping of names to values' }];
  return [];
};

/**
 * Known task types. Flows may name a type by its short name (`Log`) or by Kestra's full class
 * name (`io.kestra.plugin.core.log.Log`), so that flows written for Kestra's core tasks run
 * unchanged. `runnable` tasks go to the worker pool; `flowable` ones (Sequential, If, ...) are
 * run by the executor itself and will be added with their own decider logic.
 */
export const TASK_TYPES = {
  ...FLOWABLE_TASK_TYPES,
  Log: { name: 'Log', fullName: 'io.kestra.plugin.core.log.Log', kind: 'runnable', validate: validateLog },
  OutputValues: {
    name: 'OutputValues',
    fullName: 'io.kestra.plugin.core.output.OutputValues',
    kind: 'runnable',
    validate: validateOutputValues,
  },
  ...RUNNABLE_TASK_TYPES,
  ...EXECUTION_TASK_TYPES,
  ...FOR_EACH_ITEM_TASK_TYPES,
  ...WRAPPER_TASK_TYPES,
} as const satisfies Record<string, TaskTypeDefinition>;

export type TaskTypeName = keyof typeof TASK_TYPES;

const byAnyName: ReadonlyMap<string, TaskTypeDefinition> = new Map(
  Object.values(TASK_TYPES as Record<string, TaskTypeDefinition>).flatMap((t): [string, TaskTypeDefinition][] => [[t.name, t], [t.fullName, t], ...(t.aliases ?? []).map((a): [string, TaskTypeDefinition] => [a, t])]),
);

/** The task type for a short or full name, or one of Kestra's older aliases; undefined when unknown. */
export const findTaskType = (name: string): TaskTypeDefinition | undefined => {
  const found = byAnyName.get(name);
  if (found !== undefined) return found;
  const current = KESTRA_TASK_ALIASES[name];
  return current === undefined ? undefined : byAnyName.get(current);
};

/** Short names, for messages that list what is supported. */
export const TASK_TYPE_NAMES: readonly string[] = Object.keys(TASK_TYPES);
