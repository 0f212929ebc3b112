import { parseExpression } from '../expression/expression.parser.js';
import { parseTemplate } from '../expression/template.parser.js';
import type { JsonObject, JsonValue } from '../shared/json.js';
import type { Path } from './yaml-source.js';

/** Records one validation problem at a path of the flow document. */
export type Report = (path: Path, message: string) => void;

/** Identifiers of flows, tasks and inputs. */
export const ID_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/;
/** Dotted segments, each like an identifier: `company.team`. */
export const NAMESPACE_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_-]*(\.[a-zA-Z0-9][a-zA-Z0-9_-]*)*$/;

export const isRecord = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const describe = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a mapping' : `${typeof value} ${JSON.stringify(value)}`;

/** A required identifier-like string; reports and returns '' when absent or malformed. */
export const readName = (
  object: JsonObject,
  key: string,
  at: Path,
  pattern: RegExp,
  report: Report,
  what: string,
): string => {
  const value = object[key];
  if (value === undefined || value === null) {
    report(at, `required property "${key}" is missing`);
    return '';
  }
  // Kestra reads `id: 1` as "1" (Jackson coerces a number to a String field); the pattern still applies.
  const text = typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? String(value) : value;
  if (typeof text !== 'string') {
    report([...at, key], `must be a string, got ${describe(value)}`);
    return '';
  }
  if (!pattern.test(text)) report([...at, key], `"${text}" is not a valid ${what} (expected ${pattern.source})`);
  return text;
};

/** YAML can hold values JSON cannot (`.inf`, `.nan`); they would not survive an event store. */
export const reportNonJson = (value: unknown, at: Path, report: Report): void => {
  if (typeof value === 'number' && !Number.isFinite(value)) report(at, 'numbers must be finite');
  else if (Array.isArray(value)) value.forEach((item, i) => reportNonJson(item, [...at, i], report));
  else if (isRecord(value)) for (const [k, v] of Object.entries(value)) reportNonJson(v, [...at, k], report);
  else if (!(value === null || ['string', 'number', 'boolean'].includes(typeof value))) {
    report(at, `unsupported YAML value ${describe(value)}`);
  }
};

export const omitKeys = (object: JsonObject, keys: readonly string[]): JsonObject =>
  Object.fromEntries(Object.entries(object).filter(([k]) => !keys.includes(k))) as { [key: string]: JsonValue };

/** Why a Pebble template (its tags and every `{{ expression }}`) does not parse; undefined when it does. */
export const templateError = (text: string): string | undefined => {
  try {
    for (const node of parseTemplate(text)) if (node.kind === 'print') parseExpression(node.expression);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
};

/** Reports every key of `object` that is not in `allowed`: a misspelt or foreign key is a deploy error, never silently ignored. */
export const reportUnknownKeys = (object: JsonObject, allowed: readonly string[], at: Path, report: Report, what: string): void => {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) report([...at, key], `unknown property "${key}" of ${what} (it takes ${allowed.join(', ')})`);
  }
};
