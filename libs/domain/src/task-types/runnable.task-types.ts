import type { JsonObject, JsonValue } from '../shared/json.js';
import { isTruthy } from '../expression/truthiness.js';
import { boolean, optional, required, string, type Check } from './property-checks.js';
import { LocalTaskError, type TaskPropertyIssue, type TaskTypeDefinition } from './task-type-definition.js';
import { IO_TASK_TYPES } from './io.task-types.js';
import { httpOptionsCheck } from './http-options.js';

/**
 * The runnable task types beyond Log and OutputValues (the worker implements them in
 * libs/tasks/src, one folder per Kestra package). Properties are checked before rendering, so a value
 * holding an expression (`{{ ... }}`) passes the checks that only its rendered value could fail.
 */
const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];
const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const ISO_DURATION = /^P(?:\d+(?:\.\d+)?D)?(?:T(?:\d+(?:\.\d+)?H)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?S)?)?$/i;

const isMap = (value: JsonValue | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

const scalar: Check = (v, path) => (['string', 'number', 'boolean'].includes(typeof v) ? [] : [{ path, message: 'must be a string, a number or a boolean' }]);
const oneOf = (values: readonly string[]): Check => (v, path) =>
  typeof v === 'string' && values.includes(v.toUpperCase()) ? [] : [{ path, message: `must be one of ${values.join(', ')}` }];
const map: Check = (v, path) => (isMap(v) ? [] : [{ path, message: 'must be a mapping of names to values' }]);
const duration: Check = (v, path) =>
  (typeof v === 'number' && v >= 0) || (typeof v === 'string' && ISO_DURATION.test(v) && v.length > 2)
    ? []
    : [{ path, message: 'must be an ISO-8601 duration such as PT10S (or milliseconds)' }];
const between = (min: number, max: number): Check => (v, path) =>
  typeof v === 'number' && v >= min && v <= max ? [] : [{ path, message: `must be a number from ${min} to ${max}` }];

const validator = (checks: Record<string, Check>) => (properties: JsonObject): TaskPropertyIssue[] =>
  Object.entries(checks).flatMap(([name, check]) => check(properties[name], [name]));

/** Request's `options`: Kestra's RequestOptions it implements (and Chronicle's `allowFailed`); the rest refused (http-options.ts). */
const validateRequestOptions: Check = httpOptionsCheck({
  connectTimeout: duration,
  readTimeout: duration,
  allowFailed: boolean,
  maxContentLength: between(1, 1024 * 1024 * 1024),
});

/** `Return`: outputs `{ value }`, the rendered `format`. */
export function returnValueOf(properties: JsonObject): JsonObject {
  return { value: (properties.format ?? null) as JsonValue };
}

export const DEFAULT_FAIL_MESSAGE = 'Task failure';

/**
 * `Fail` (io.kestra.plugin.core.execution.Fail): the message its task run fails with, or undefined
 * when it does not fail. It fails always, or only when the rendered `condition` is truthy: the
 * domain's `isTruthy`, Kestra's rule for rendered text, the one the decider applies to `If` (a YAML
 * boolean or number counts as its text).
 */
export function failureOf(properties: JsonObject): string | undefined {
  const { condition, errorMessage } = properties;
  const message = errorMessage === undefined || errorMessage === null ? DEFAULT_FAIL_MESSAGE : String(errorMessage);
  // No condition (absent or null, as in Kestra) means: always fail.
  if (condition !== undefined && condition !== null && !isTruthy(typeof condition === 'string' ? condition : JSON.stringify(condition))) return undefined;
  return message;
}

export const RUNNABLE_TASK_TYPES = {
  Fail: {
    name: 'Fail',
    properties: ['condition', 'errorMessage'],
    fullName: 'io.kestra.plugin.core.execution.Fail',
    kind: 'runnable',
    validate: validator({ condition: optional(scalar), errorMessage: optional(string) }),
    // Not local: the worker's runner also logs why it did not fail.
    run: (properties: JsonObject): JsonObject => {
      const failure = failureOf(properties);
      if (failure !== undefined) throw new LocalTaskError(failure);
      return {};
    },
  },
  // A local task, like Log.
  Return: { name: 'Return', fullName: 'io.kestra.plugin.core.debug.Return', kind: 'runnable', properties: ['format'], validate: validator({ format: optional(scalar) }), run: returnValueOf, local: true },
  Echo: {
    name: 'Echo',
    properties: ['format', 'level'],
    fullName: 'io.kestra.plugin.core.debug.Echo',
    kind: 'runnable',
    validate: validator({ format: required('format', scalar), level: optional(oneOf(LEVELS)) }),
  },
  Request: {
    name: 'Request',
    // core/src/main/java/io/kestra/plugin/core/http/AbstractHttp.java and Request.java
    properties: ['uri', 'method', 'body', 'formData', 'contentType', 'headers', 'options', 'allowFailed'],
    refusedProperties: {
      sslOptions: 'Chronicle uses the platform certificate store; custom trust or client certificates are not configurable yet',
      encryptBody: 'Chronicle has no encrypted outputs yet; the body is kept as it is',
    },
    fullName: 'io.kestra.plugin.core.http.Request',
    kind: 'runnable',
    validate: validator({
      uri: required('uri', string),
      method: optional(oneOf(HTTP_METHODS)),
      headers: optional(map),
      formData: optional(map),
      contentType: optional(string),
      allowFailed: optional(boolean),
      timeout: optional(duration),
      options: optional(validateRequestOptions),
    }),
  },
  Script: {
    name: 'Script',
    properties: ['script', 'memoryLimitMb'],
    fullName: 'io.chronicle.plugin.core.script.Script',
    kind: 'runnable',
    validate: validator({ script: required('script', string), timeout: optional(duration), memoryLimitMb: optional(between(1, 512)) }),
  },
  // Internal storage, KV, namespace files, logs, state, http.Download, TemplatedTask.
  ...IO_TASK_TYPES,
} as const satisfies Record<string, TaskTypeDefinition>;
