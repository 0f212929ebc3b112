import type { JsonValue } from '../shared/json.js';
import type { TaskPropertyIssue } from './task-type-definition.js';

/**
 * The building blocks of the runnable types' property checks (runnable.task-types.ts,
 * io.task-types.ts). Properties are checked before rendering: a value holding an expression (`{{ }}`
 * or a Pebble tag `{% %}`) passes the checks only its rendered value could fail.
 */
export type Check = (value: JsonValue | undefined, path: (string | number)[]) => TaskPropertyIssue[];

export const isExpression = (value: JsonValue | undefined): boolean => typeof value === 'string' && (value.includes('{{') || value.includes('{%'));

export const optional = (check: Check): Check => (value, path) => (value === undefined || value === null || isExpression(value) ? [] : check(value, path));
export const required = (name: string, check: Check): Check => (value, path) =>
  value === undefined || value === null ? [{ path: [], message: `required property "${name}" is missing` }] : isExpression(value) ? [] : check(value, path);

export const string: Check = (v, path) => (typeof v === 'string' ? [] : [{ path, message: 'must be a string' }]);
export const boolean: Check = (v, path) => (typeof v === 'boolean' ? [] : [{ path, message: 'must be true or false' }]);
