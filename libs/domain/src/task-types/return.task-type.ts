import type { JsonObject, JsonValue } from '../shared/json.js';
import { optional, propertyValidator, scalar } from './property-checks.js';
import type { TaskTypeDefinition } from './task-type-definition.js';

/** `Return` (io.kestra.plugin.core.debug.Return): outputs `{ value }`, the rendered `format`. A local task, like Log. */
export function returnValueOf(properties: JsonObject): JsonObject {
  return { value: (properties.format ?? null) as JsonValue };
}

export const RETURN_TASK_TYPE = {
  name: 'Return',
  fullName: 'io.kestra.plugin.core.debug.Return',
  kind: 'runnable',
  properties: ['format'],
  validate: propertyValidator({ format: optional(scalar) }),
  run: returnValueOf,
  local: true,
} as const satisfies TaskTypeDefinition;
