import type { JsonObject, JsonValue } from '../shared/json.js';
import type { TaskPropertyIssue } from './task-type-definition.js';

/**
 * The building blocks of the runnable types' property checks (the pure types here, the I/O modules
 * of libs/tasks, which get them as `propertyChecks`). Properties are checked before rendering: a value holding an expression (`{{ }}`
 * or a Pebble tag `{% %}`) passes the checks only its rendered value could fail.
 */
export type Check = (value: JsonValue | undefined, path: (string | number)[]) => TaskPropertyIssue[];

export const isExpression = (value: JsonValue | undefined): boolean => typeof value === 'string' && (value.includes('{{') || value.includes('{%'));

export const optional = (check: Check): Check => (value, path) => (value === undefined || value === null || isExpression(value) ? [] : check(value, path));
export const required = (name: string, check: Check): Check => (value, path) =>
  value === undefined || value === null ? [{ path: [], message: `required property "${name}" is missing` }] : isExpression(value) ? [] : check(value, path);

export const string: Check = (v, path) => (typeof v === 'string' ? [] : [{ path, message: 'must be a string' }]);
export const boolean: Check = (v, path) => (typeof v === 'boolean' ? [] : [{ path, message: 'must be true or false' }]);

export const scalar: Check = (v, path) => (['string', 'number', 'boolean'].includes(typeof v) ? [] : [{ path, message: 'must be a string, a number or a boolean' }]);
/** One of `values`, in any case (Kestra reads enums such as a level or an HTTP method case-insensitively). */
export const oneOfAnyCase = (values: readonly string[]): Check => (v, path) =>
  typeof v === 'string' && values.includes(v.toUpperCase()) ? [] : [{ path, message: `must be one of ${values.join(', ')}` }];

/** Runs each named property's check; a type that lists its `properties` has the others refused by the parser. */
export const propertyValidator = (checks: Readonly<Record<string, Check>>) => (properties: JsonObject): TaskPropertyIssue[] =>
  Object.entries(checks).flatMap(([name, check]) => check(properties[name], [name]));
