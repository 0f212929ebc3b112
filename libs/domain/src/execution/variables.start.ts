import type { ExpressionContext } from '../expression/expression-context.js';
import type { TaskDefinition } from '../flow/flow.model.js';
import type { JsonObject, JsonValue } from '../shared/json.js';
import type { Decision } from './decision.js';
import { isTruthy, renderProperties, textOf } from './rendering.js';

/**
 * `io.kestra.plugin.core.execution.SetVariables` / `UnsetVariables` (Kestra's SetVariables.java,
 * UnsetVariables.java; documentation example "Set and later unset variables"). The execution's
 * variables start as the flow's `variables`; the task's change is recorded as the whole new map
 * (ExecutionVariablesChanged) and `{{ vars.* }}` reads it from then on.
 */
const isObject = (v: JsonValue | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

const currentVariables = (d: Decision): JsonObject => d.execution.variables ?? d.flow.variables ?? {};

/** Kestra's MapUtils.deepMerge: nested maps merge, anything else is replaced. */
const deepMerge = (target: JsonObject, source: JsonObject): JsonObject => {
  const result: Record<string, JsonValue> = { ...target };
  for (const [key, value] of Object.entries(source)) {
    const existing = result[key];
    Object.defineProperty(result, key, { value: isObject(existing) && isObject(value) ? deepMerge(existing, value) : value, enumerable: true, writable: true, configurable: true });
  }
  return result;
};

const flag = (value: JsonValue | undefined, fallback: boolean): boolean => (value === undefined || value === null ? fallback : typeof value === 'boolean' ? value : isTruthy(textOf(value)));

const changed = (d: Decision, taskRunId: string, variables: JsonObject): void => {
  d.emit(
    { type: 'TaskRunStateChanged', data: { taskRunId, state: 'RUNNING', at: d.now } },
    { type: 'ExecutionVariablesChanged', data: { variables, taskRunId, at: d.now } },
    { type: 'TaskRunStateChanged', data: { taskRunId, state: 'SUCCESS', at: d.now } },
  );
};

const fail = (d: Decision, taskRunId: string, error: string): void => {
  d.emit({ type: 'TaskRunStateChanged', data: { taskRunId, state: 'FAILED', error, at: d.now } });
};

/** Renders `variables` and deep-merges them; `overwrite: false` fails on a name that already exists. */
export const startSetVariables = (d: Decision, taskRunId: string, task: TaskDefinition, context: ExpressionContext): void => {
  const rendered = renderProperties(d.taskTypes, task.id, { variables: task.properties.variables ?? null, overwrite: task.properties.overwrite ?? true }, context);
  if ('error' in rendered) return fail(d, taskRunId, rendered.error);
  const { variables, overwrite } = rendered.value;
  if (!isObject(variables)) return fail(d, taskRunId, `task ${task.id}, property "variables": must be a map of names to values`);
  const current = currentVariables(d);
  if (!flag(overwrite, true)) {
    const duplicated = Object.keys(variables).filter((k) => Object.hasOwn(current, k));
    if (duplicated.length > 0) return fail(d, taskRunId, `task ${task.id}: \`overwrite\` is set to false and the following variables already exist: ${duplicated.join(',')}`);
  }
  changed(d, taskRunId, deepMerge(current, variables));
};

/**
 * Removes the named variables; a dotted name (`a.b`) removes inside a nested map. As in Kestra,
 * a missing name is no error; a dotted name whose parent is missing fails unless `ignoreMissing`.
 */
export const startUnsetVariables = (d: Decision, taskRunId: string, task: TaskDefinition, context: ExpressionContext): void => {
  const rendered = renderProperties(d.taskTypes, task.id, { variables: task.properties.variables ?? null, ignoreMissing: task.properties.ignoreMissing ?? false }, context);
  if ('error' in rendered) return fail(d, taskRunId, rendered.error);
  const { variables, ignoreMissing } = rendered.value;
  if (!Array.isArray(variables)) return fail(d, taskRunId, `task ${task.id}, property "variables": must be a list of variable names`);
  let result = currentVariables(d);
  for (const name of variables.map((v) => textOf(v))) {
    const removed = removeVariable(result, name.split('.'));
    if (removed === undefined) {
      if (flag(ignoreMissing, false)) continue;
      return fail(d, taskRunId, `task ${task.id}: cannot unset variable "${name}": "${name.slice(0, name.lastIndexOf('.'))}" is not a map of variables`);
    }
    result = removed;
  }
  changed(d, taskRunId, result);
};

/** The map without the variable at `path`; undefined when a parent on the way is not a map. */
const removeVariable = (vars: JsonObject, path: readonly string[]): JsonObject | undefined => {
  const [head, ...rest] = path;
  if (head === undefined) return vars;
  if (rest.length === 0) return Object.fromEntries(Object.entries(vars).filter(([k]) => k !== head));
  const child = vars[head];
  if (!isObject(child)) return undefined;
  const updated = removeVariable(child, rest);
  return updated === undefined ? undefined : { ...vars, [head]: updated };
};
