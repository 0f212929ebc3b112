import type { ExpressionContext } from '../expression/expression-context.js';
import { ExpressionError } from '../expression/expression.error.js';
import { renderTemplate, renderValue } from '../expression/template.renderer.js';
import type { JsonObject, JsonValue } from '../shared/json.js';
import { propertiesLeftRaw } from './deferred-rendering.js';
import type { TaskCatalog } from '../task-types/task-catalog.js';

/** What rendering gave: a value, or the message of the expression error (the task fails with it). */
export type Rendered<T> = { readonly value: T } | { readonly error: string };

/** Runs a render; an expression error becomes `{ error }` naming the task and the property. */
export const attempt = <T>(what: string, render: () => T, scope?: object): Rendered<T> => {
  try {
    return { value: render() };
  } catch (error) {
    if (error instanceof ExpressionError) return { error: `${what}: ${error.message}${kestraUnknownName(error, scope)}` };
    throw error;
  }
};

/**
 * Kestra's wording for a name its variables do not hold at all ("Unable to find `inputs` used in the
 * expression `{{inputs.invalid}}` at line 1"), so a log search for it finds the failure here too.
 * Kestra leaves `inputs` and `outputs` out while empty; Chronicle's scope has them as `{}`.
 */
const kestraUnknownName = (error: ExpressionError, scope: object | undefined): string => {
  const root = error.reason.match(/^undefined variable "([A-Za-z_$][\w$]*)/)?.[1];
  if (root === undefined || scope === undefined) return '';
  const value = (scope as Record<string, unknown>)[root];
  const absent = value === undefined || ((root === 'inputs' || root === 'outputs') && typeof value === 'object' && value !== null && Object.keys(value).length === 0);
  return absent ? ` (Unable to find \`${root}\` used in the expression \`{{${error.expression}}}\` at line 1)` : '';
};

/**
 * Renders property by property so that a failure can say which property of which task. Properties
 * that call I/O functions, and a type's raw ones, stay as written: the worker renders them
 * (deferred-rendering.ts).
 */
export const renderProperties = (taskTypes: TaskCatalog, taskId: string, properties: JsonObject, context: ExpressionContext): Rendered<JsonObject> => {
  const entries: [string, JsonValue][] = [];
  const leftRaw = propertiesLeftRaw(taskTypes, properties, context.task?.type);
  for (const [key, value] of Object.entries(properties)) {
    if (leftRaw.has(key)) {
      entries.push([key, value]);
      continue;
    }
    const rendered = attempt(`task ${taskId}, property "${key}"`, () => renderValue(value, context), context);
    if ('error' in rendered) return rendered;
    entries.push([key, rendered.value]);
  }
  // fromEntries defines own properties, so a key such as `__proto__` stays plain data.
  return { value: Object.fromEntries(entries) };
};

export const renderText = (taskId: string, property: string, raw: JsonValue | undefined, context: ExpressionContext): Rendered<string> =>
  attempt(`task ${taskId}, property "${property}"`, () => (typeof raw === 'string' ? renderTemplate(raw, context) : textOf(raw ?? null)), context);

export { isTruthy } from '../expression/truthiness.js';

/** How a value becomes text where Kestra needs a string (loop values, switch values): JSON for structures. */
export const textOf = (value: JsonValue): string =>
  typeof value === 'string' ? value : value === null ? 'null' : typeof value === 'object' ? JSON.stringify(value) : String(value);
