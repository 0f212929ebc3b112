import type { ExpressionContext } from '../expression/expression-context.js';
import { ExpressionError } from '../expression/expression.error.js';
import { renderTemplate, renderValue } from '../expression/template.renderer.js';
import type { JsonObject, JsonValue } from '../shared/json.js';
import { propertiesLeftRaw } from './deferred-rendering.js';

/** What rendering gave: a value, or the message of the expression error (the task fails with it). */
export type Rendered<T> = { readonly value: T } | { readonly error: string };

/** Runs a render; an expression error becomes `{ error }` naming the task and the property. */
export const attempt = <T>(what: string, render: () => T): Rendered<T> => {
  try {
    return { value: render() };
  } catch (error) {
    if (error instanceof ExpressionError) return { error: `${what}: ${error.message}` };
    throw error;
  }
};

/**
 * Renders property by property so that a failure can say which property of which task. Properties
 * that call I/O functions, and a type's raw ones, stay as written: the worker renders them
 * (deferred-rendering.ts).
 */
export const renderProperties = (taskId: string, properties: JsonObject, context: ExpressionContext): Rendered<JsonObject> => {
  const entries: [string, JsonValue][] = [];
  const leftRaw = propertiesLeftRaw(properties, context.task?.type);
  for (const [key, value] of Object.entries(properties)) {
    if (leftRaw.has(key)) {
      entries.push([key, value]);
      continue;
    }
    const rendered = attempt(`task ${taskId}, property "${key}"`, () => renderValue(value, context));
    if ('error' in rendered) return rendered;
    entries.push([key, rendered.value]);
  }
  // fromEntries defines own properties, so a key such as `__proto__` stays plain data.
  return { value: Object.fromEntries(entries) };
};

export const renderText = (taskId: string, property: string, raw: JsonValue | undefined, context: ExpressionContext): Rendered<string> =>
  attempt(`task ${taskId}, property "${property}"`, () => (typeof raw === 'string' ? renderTemplate(raw, context) : textOf(raw ?? null)));

export { isTruthy } from '../expression/truthiness.js';

/** How a value becomes text where Kestra needs a string (loop values, switch values): JSON for structures. */
export const textOf = (value: JsonValue): string =>
  typeof value === 'string' ? value : value === null ? 'null' : typeof value === 'object' ? JSON.stringify(value) : String(value);
