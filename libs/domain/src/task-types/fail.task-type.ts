import type { JsonObject } from '../shared/json.js';
import { isTruthy } from '../expression/truthiness.js';
import { optional, propertyValidator, scalar, string } from './property-checks.js';
import { LocalTaskError, type TaskTypeDefinition } from './task-type-definition.js';

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

export const FAIL_TASK_TYPE = {
  name: 'Fail',
  properties: ['condition', 'errorMessage'],
  fullName: 'io.kestra.plugin.core.execution.Fail',
  kind: 'runnable',
  validate: propertyValidator({ condition: optional(scalar), errorMessage: optional(string) }),
  // Not local: the worker's runner also logs why it did not fail.
  run: (properties: JsonObject): JsonObject => {
    const failure = failureOf(properties);
    if (failure !== undefined) throw new LocalTaskError(failure);
    return {};
  },
} as const satisfies TaskTypeDefinition;
