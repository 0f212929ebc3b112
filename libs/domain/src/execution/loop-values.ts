import type { ExpressionContext } from '../expression/expression-context.js';
import { renderTemplate, renderValue } from '../expression/template.renderer.js';
import type { JsonValue } from '../shared/json.js';
import { attempt, type Rendered, textOf } from './rendering.js';

/** Java's `toString` of a list / map, as Kestra's messages print values. */
const javaText = (value: JsonValue): string => {
  if (Array.isArray(value)) return `[${value.map(javaText).join(', ')}]`;
  if (value !== null && typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${k}=${javaText(v)}`).join(', ')}}`;
  return String(value);
};

/**
 * A loop's values, Kestra's way: a list (its strings rendered) or an expression rendering to a
 * JSON list; each value becomes text (structures as JSON), duplicates are dropped, and a null
 * fails the loop before any iteration.
 */
export const loopValues = (taskId: string, raw: JsonValue | undefined, context: ExpressionContext): Rendered<string[]> => {
  const rendered = attempt(`task ${taskId}, property "values"`, () => (typeof raw === 'string' ? renderTemplate(raw, context) : renderValue(raw ?? null, context)));
  if ('error' in rendered) return rendered;
  let values: JsonValue = rendered.value;
  if (typeof values === 'string') {
    try {
      values = JSON.parse(values) as JsonValue;
    } catch {
      return { error: `task ${taskId}: values must render to a JSON list, got ${JSON.stringify(values)}` };
    }
  }
  if (!Array.isArray(values)) return { error: `task ${taskId}: values must be a list, got ${JSON.stringify(values)}` };
  const nulls = values.filter((v) => v === null).length;
  if (nulls > 0) return { error: `Found '${nulls}' null values on Each, with values=${javaText(values)}` };
  return { value: [...new Set(values.map(textOf))] };
};
