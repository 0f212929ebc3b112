import type { JsonObject, JsonValue } from '../shared/json.js';
import type { FlowDefinition } from './flow.model.js';
import { ruleViolations } from './input-rules.js';
import { coerceInput } from './input-types.js';
import { InputValidationError, type InputIssue } from './input-validation.error.js';

export interface ResolveInputsOptions {
  /**
   * true (the default): inputs are validated and coerced to their declared types. false: Kestra's
   * "raw" inputs (its tests put a map straight on the execution): values pass through untouched,
   * undeclared ones are kept, nothing is required; declared defaults still fill the gaps.
   */
  readonly typed?: boolean;
}

/** What APIs show instead of a SECRET input's value. */
export const SECRET_MASK = '******';

/**
 * The inputs of a new execution. Typed: declared inputs only (others are dropped), coerced to
 * their type, defaults applied, rules checked; a missing optional input without default is
 * `null`, so that `{{ inputs.x ?? 'fallback' }}` and `{{ inputs.x }}` (renders empty) both work.
 * Every bad input is reported at once in one InputValidationError.
 */
export function resolveInputs(
  flow: FlowDefinition,
  raw: Readonly<Record<string, unknown>>,
  options: ResolveInputsOptions = {},
): JsonObject {
  if (options.typed === false) return untyped(flow, raw);
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
    const coerced = coerceInput(input, value);
    if (!coerced.ok) {
      issues.push({ input: input.id, message: coerced.message });
      continue;
    }
    const broken = ruleViolations(input, coerced.value);
    if (broken.length > 0) issues.push({ input: input.id, message: broken.join(', ') });
    else resolved[input.id] = coerced.value;
  }
  if (issues.length > 0) throw new InputValidationError(issues);
  return resolved;
}

const untyped = (flow: FlowDefinition, raw: Readonly<Record<string, unknown>>): JsonObject => {
  // fromEntries: a "__proto__" key from a caller stays data.
  const resolved: JsonObject = Object.fromEntries(
    Object.entries(raw).filter((entry): entry is [string, JsonValue] => entry[1] !== undefined),
  );
  for (const input of flow.inputs) {
    const given = Object.hasOwn(resolved, input.id) ? resolved[input.id] : undefined;
    if ((given === undefined || given === null) && input.defaults !== undefined) {
      Object.defineProperty(resolved, input.id, { value: input.defaults, enumerable: true, writable: true, configurable: true });
    }
  }
  return resolved;
};

/**
 * A copy of an execution's inputs for display: the value of every SECRET input becomes
 * `"******"` (null stays null, so a reader still sees it was not given).
 */
export const maskSecrets = (flow: FlowDefinition, inputs: JsonObject): JsonObject => {
  const secrets = new Set(flow.inputs.filter((i) => i.secret).map((i) => i.id));
  return Object.fromEntries(
    Object.entries(inputs).map(([id, value]) => [id, secrets.has(id) && value !== null ? SECRET_MASK : value]),
  );
};
