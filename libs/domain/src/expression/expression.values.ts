import type { JsonObject, JsonValue } from '../shared/json.js';
import { EvaluationFailure } from './expression.error.js';

/** What evaluation yields; `undefined` only flows through lenient positions (`??`, `default`). */
export type Value = JsonValue | undefined;

export const isPlainObject = (value: Value): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const typeOf = (value: Value): string =>
  value === undefined ? 'undefined' : value === null ? 'null' : Array.isArray(value) ? 'list' : typeof value === 'object' ? 'object' : typeof value;

/** Pebble's rendering of a value into text: null renders empty, objects and lists as JSON. */
export const toText = (value: Value): string => {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
};

/**
 * Truthiness of a value inside an expression (`and`, `not`, `? :`): false, null, 0 and '' are
 * false; so are missing values in lenient positions. Rendered conditions use ./truthiness.ts.
 */
export const isTruthyValue = (value: Value): boolean =>
  !(value === undefined || value === null || value === false || value === 0 || value === '');

/** Pebble's EmptyTest (also what `default` applies): null, blank text, an empty list or map. */
export const isEmpty = (value: Value): boolean =>
  value === undefined ||
  value === null ||
  (typeof value === 'string' && value.trim() === '') ||
  (Array.isArray(value) && value.length === 0) ||
  (isPlainObject(value) && Object.keys(value).length === 0);

export const deepEqual = (a: Value, b: Value): boolean => {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
};

export const expectNumber = (value: Value, what: string): number => {
  if (typeof value === 'number') return value;
  throw new EvaluationFailure(`${what} expects a number, got ${typeOf(value)}`);
};

export const expectString = (value: Value, what: string): string => {
  if (typeof value === 'string') return value;
  throw new EvaluationFailure(`${what} expects a string, got ${typeOf(value)}`);
};

/** Numbers compare by value; everything else by structure (Pebble compares numbers across int/double). */
export const compareValues = (left: Value, right: Value, what: string): number => {
  const bothNumbers = typeof left === 'number' && typeof right === 'number';
  const bothStrings = typeof left === 'string' && typeof right === 'string';
  if (!bothNumbers && !bothStrings) throw new EvaluationFailure(`cannot compare ${typeOf(left)} ${what} ${typeOf(right)}`);
  return left! < right! ? -1 : left! > right! ? 1 : 0;
};
