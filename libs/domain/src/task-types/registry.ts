import { EXECUTION_TASK_TYPES } from './execution.task-types.js';
import { FOR_EACH_ITEM_TASK_TYPES } from './for-each-item.task-types.js';
import { FLOWABLE_TASK_TYPES } from './flow.task-types.js';
import { RUNNABLE_TASK_TYPES } from './runnable.task-types.js';
import { WRAPPER_TASK_TYPES } from './wrapper.task-types.js';
import { KESTRA_TASK_ALIASES } from './aliases.js';
import type { TaskTypeDefinition } from './task-type-definition.js';
import { LOG_TASK_TYPE } from './log.task-type.js';
import { OUTPUT_VALUES_TASK_TYPE } from './output-values.task-type.js';

export { LocalTaskError, type TaskKind, type TaskPropertyIssue, type TaskTypeDefinition } from './task-type-definition.js';

export { LOG_LEVELS, type LogLevel } from './log.task-type.js';

/**
 * Known task types. Flows may name a type by its short name (`Log`) or by Kestra's full class
 * name (`io.kestra.plugin.core.log.Log`), so that flows written for Kestra's core tasks run
 * unchanged. `runnable` tasks go to the worker pool; `flowable` ones (Sequential, If, ...) are
 * run by the executor itself and will be added with their own decider logic.
 */
export const TASK_TYPES = {
  ...FLOWABLE_TASK_TYPES,
  Log: LOG_TASK_TYPE,
  OutputValues: OUTPUT_VALUES_TASK_TYPE,
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
