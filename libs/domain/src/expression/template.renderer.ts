import type { JsonValue } from '../shared/json.js';
import type { ExpressionContext } from './expression-context.js';
import { EvaluationFailure, ExpressionError } from './expression.error.js';
import { evaluate } from './expression.evaluator.js';
import { parseExpression } from './expression.parser.js';
import { isPlainObject, toText, type Value } from './expression.values.js';

type Segment = { readonly text: string } | { readonly expression: string };

/** Splits Pebble-style text into literal text and `{{ ... }}` expressions; `{# ... #}` is a comment. */
const segments = (template: string): Segment[] => {
  const result: Segment[] = [];
  let index = 0;
  while (index < template.length) {
    const open = template.indexOf('{', index);
    const next = open === -1 ? -1 : template[open + 1];
    if (open === -1) {
      result.push({ text: template.slice(index) });
      break;
    }
    if (next !== '{' && next !== '#' && next !== '%') {
      result.push({ text: template.slice(index, open + 1) });
      index = open + 1;
      continue;
    }
    if (open > index) result.push({ text: template.slice(index, open) });
    if (next === '%') {
      const end = template.indexOf('%}', open);
      const tag = end === -1 ? template.slice(open) : template.slice(open, end + 2);
      throw new ExpressionError(tag, 'tags ({% ... %}) are not supported yet', tag);
    }
    if (next === '#') {
      const end = template.indexOf('#}', open + 2);
      if (end === -1) throw new ExpressionError(template.slice(open), 'unclosed comment, "#}" expected', template.slice(open));
      index = end + 2;
      continue;
    }
    const end = closingBraces(template, open + 2);
    if (end === -1) throw new ExpressionError(template.slice(open + 2).trim(), 'unclosed expression, "}}" expected');
    // Pebble's whitespace control: `{{-` trims the text before, `-}}` the text after.
    const trimBefore = template[open + 2] === '-';
    const trimAfter = template[end - 1] === '-' && end - 1 > open + 2;
    if (trimBefore && result.length > 0) {
      const previous = result[result.length - 1];
      if ('text' in previous) result[result.length - 1] = { text: previous.text.trimEnd() };
    }
    result.push({ expression: template.slice(open + 2 + (trimBefore ? 1 : 0), trimAfter ? end - 1 : end).trim() });
    index = end + 2;
    if (trimAfter) while (index < template.length && /\s/.test(template[index])) index++;
  }
  return result;
};

/** Index of the `}}` closing an expression, skipping quoted strings and map literals `{...}`. */
const closingBraces = (template: string, from: number): number => {
  let quote: string | undefined;
  let depth = 0;
  for (let i = from; i < template.length; i++) {
    const c = template[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '{') depth++;
    else if (c === '}' && depth > 0) depth--;
    else if (c === '}' && template[i + 1] === '}') return i;
  }
  return -1;
};

/** Evaluates one expression (without braces) against the context. */
export const evaluateExpression = (expression: string, context: ExpressionContext): JsonValue => {
  if (expression === '') throw new ExpressionError(expression, 'empty expression');
  try {
    const { now, ...variables } = context;
    const value: Value = evaluate(parseExpression(expression), { scope: variables as unknown as Record<string, Value>, now });
    return value === undefined ? null : value;
  } catch (error) {
    if (error instanceof EvaluationFailure) throw new ExpressionError(expression, error.reason);
    throw error;
  }
};

/** Renders `{{ expr }}` segments into text, the way Pebble renders: the result is always a string. */
export const renderTemplate = (template: string, context: ExpressionContext): string => {
  if (!template.includes('{')) return template;
  return segments(template)
    .map((s) => ('text' in s ? s.text : toText(evaluateExpression(s.expression, context))))
    .join('');
};

/** Renders every string (keys included, as Kestra does) inside a JSON value; other scalars stay as they are. */
export const renderValue = (value: JsonValue, context: ExpressionContext): JsonValue => {
  if (typeof value === 'string') return renderTemplate(value, context);
  if (Array.isArray(value)) return value.map((item) => renderValue(item, context));
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [renderTemplate(k, context), renderValue(v, context)]));
  }
  return value;
};
