import type { JsonObject } from '../shared/json.js';
import type { FlowDefinition } from './flow.model.js';
import { coerceInput } from './input-types.js';
import { InputValidationError, type InputIssue } from './input-validation.error.js';

/**
 * The typed inputs of a new execution: declared inputs only (others are dropped), coerced to
 * their type, defaults applied. A missing optional input without default is `null`, so that
 * `{{ inputs.x ?? 'fallback' }}` and `{{ inputs.x }}` (renders empty) both work.
 */
export function resolveInputs(flow: FlowDefinition, raw: Readonly<Record<string, unknown>>): JsonObject {
  const resolved: JsonObject = {};
  const issues: InputIssue[] = [];
  for (const input of flow.inputs) {
    const given = Object.hasOwn(raw, input.id) ? raw[input.id] : undefined;
    const value = given === undefined || given === null ? input.defaults : given;
    if (value === undefined || value === null) {
      if (input.required) issues.push({ input: input.id, message: `required input is missing (${input.type})` });
      else resolved[input.id] = null;
      continue;
    }
    const coerced = coerceInput(input.type, value);
    if (coerced.ok) resolved[input.id] = coerced.value;
    else issues.push({ input: input.id, message: coerced.message });
  }
  if (issues.length > 0) throw new InputValidationError(issues);
  return resolved;
}
