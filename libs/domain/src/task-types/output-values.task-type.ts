import type { JsonObject, JsonValue } from '../shared/json.js';
import { LocalTaskError, type TaskTypeDefinition } from './task-type-definition.js';

/** `OutputValues` (io.kestra.plugin.core.output.OutputValues): its definition, checks and pure run. A local task, like Log. */
const isPlainObject = (value: JsonValue | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `OutputValues`: outputs `{ values }` as rendered. */
export function outputValuesOf(properties: JsonObject): JsonObject {
  const values = properties.values;
  if (!isPlainObject(values)) throw new LocalTaskError('values must be a map of names to values');
  return { values };
}

export const OUTPUT_VALUES_TASK_TYPE = {
  name: 'OutputValues',
  fullName: 'io.kestra.plugin.core.output.OutputValues',
  kind: 'runnable',
  properties: ['values'],
  validate: (properties: JsonObject) => {
    const { values } = properties;
    if (values === undefined || values === null) return [{ path: [], message: 'required property "values" is missing' }];
    if (!isPlainObject(values)) return [{ path: ['values'], message: 'must be a mapping of names to values' }];
    return [];
  },
  run: outputValuesOf,
  local: true,
} as const satisfies TaskTypeDefinition;
