import type { JsonObject, JsonValue } from '../shared/json.js';
import type { ExpressionContext } from '../expression/expression-context.js';
import { ExpressionError } from '../expression/expression.error.js';
import { evaluateExpression, renderTemplate } from '../expression/template.renderer.js';
import type { FlowDefinition, InputDefinition } from './flow.model.js';
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

/** What input expressions (`dependsOn.condition`, SELECT `expression`, expression `defaults`) see besides `inputs`. */
export interface InputScope {
  readonly executionId: string;
  readonly now: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * The inputs of a new execution, as Kestra's FlowInputOutput.readExecutionInputs: declared inputs
 * only (others are dropped), coerced to their type, defaults applied, rules checked; a missing
 * optional input without default is `null`, so that `{{ inputs.x ?? 'fallback' }}` and
 * `{{ inputs.x }}` (renders empty) both work. An input whose `dependsOn` inputs are left out, or
 * whose `condition` is not true, is left out. Dotted ids nest (`nested.more.int` is
 * `inputs.nested.more.int`); a caller may give their values flat or nested. Every bad input is
 * reported at once in one InputValidationError.
 */
export function resolveInputs(
  flow: FlowDefinition,
  raw: Readonly<Record<string, unknown>>,
  options: ResolveInputsOptions & { readonly scope?: InputScope } = {},
): JsonObject {
  if (options.typed === false) return untyped(flow, raw);
  const byId = new Map(flow.inputs.map((input) => [input.id, input]));
  const values = new Map<string, JsonValue>();
  const enabled = new Map<string, boolean>();
  const issues: InputIssue[] = [];
  const contextOf = (): ExpressionContext => expressionContext(flow, nestInputs([...values]), options.scope);

  const resolve = (input: InputDefinition, path: readonly string[]): boolean => {
    const known = enabled.get(input.id);
    if (known !== undefined) return known;
    if (path.includes(input.id)) {
      issues.push({ input: input.id, message: `dependsOn forms a cycle: ${[...path, input.id].join(' -> ')}` });
      enabled.set(input.id, false);
      return false;
    }
    const dependencies = (input.dependsOn?.inputs ?? []).flatMap((id) => (id !== input.id && byId.has(id) ? [byId.get(id)!] : []));
    let on = dependencies.map((dependency) => resolve(dependency, [...path, input.id])).every(Boolean);
    const condition = input.dependsOn?.condition;
    if (on && condition !== undefined) {
      const result = attemptRender(() => renderTyped(condition, contextOf()));
      if ('error' in result) issues.push({ input: input.id, message: `invalid dependsOn condition: ${result.error}` });
      // Kestra: Boolean.TRUE.equals(renderTyped(condition)); a rendered text "true" counts too.
      on = 'value' in result && (result.value === true || result.value === 'true');
    }
    enabled.set(input.id, on);
    if (on) resolveValue(input);
    return on;
  };

  const resolveValue = (declared: InputDefinition): void => {
    const input = withRenderedValues(declared);
    if (input === undefined) return;
    const given = givenValue(raw, declared.id);
    let value: unknown = given === undefined || given === null ? declared.defaults : given;
    if (value === declared.defaults && typeof value === 'string' && value.includes('{{')) {
      const rendered = attemptRender(() => renderTemplate(value as string, contextOf()));
      if ('error' in rendered) {
        issues.push({ input: declared.id, message: `invalid defaults expression: ${rendered.error}` });
        return;
      }
      value = rendered.value;
    }
    if (value === undefined || value === null) {
      if (input.required) issues.push({ input: input.id, message: `required input is missing (${input.type})` });
      else values.set(input.id, null);
      return;
    }
    const coerced = coerceInput(input, value);
    if (!coerced.ok) {
      issues.push({ input: input.id, message: coerced.message });
      return;
    }
    const broken = ruleViolations(input, coerced.value);
    if (broken.length > 0) issues.push({ input: input.id, message: broken.join(', ') });
    else values.set(input.id, coerced.value);
  };

  /** SELECT / MULTISELECT `expression`: the allowed values, rendered now (Kestra: a list, nulls dropped). */
  const withRenderedValues = (input: InputDefinition): InputDefinition | undefined => {
    if (input.expression === undefined) return input;
    const rendered = attemptRender(() => renderTyped(input.expression!, contextOf()));
    if ('error' in rendered) {
      issues.push({ input: input.id, message: `cannot render 'expression': ${rendered.error}` });
      return undefined;
    }
    if (!Array.isArray(rendered.value)) {
      issues.push({ input: input.id, message: `invalid expression result: expected a list of strings, got ${JSON.stringify(rendered.value)}` });
      return undefined;
    }
    return { ...input, values: rendered.value.filter((v) => v !== null).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))) };
  };

  for (const input of flow.inputs) resolve(input, []);
  if (issues.length > 0) throw new InputValidationError(issues);
  return nestInputs([...values]);
}

/** `nested.more.int` -> `{ nested: { more: { int } } }` (Kestra's MapUtils.flattenToNestedMap). */
export const nestInputs = (entries: readonly (readonly [string, JsonValue])[]): JsonObject => {
  const result: JsonObject = {};
  for (const [id, value] of entries) {
    const keys = id.split('.');
    let target: JsonObject = result;
    for (const key of keys.slice(0, -1)) {
      const next = target[key];
      if (typeof next !== 'object' || next === null || Array.isArray(next)) {
        Object.defineProperty(target, key, { value: {}, enumerable: true, writable: true, configurable: true });
      }
      target = target[key] as JsonObject;
    }
    Object.defineProperty(target, keys[keys.length - 1]!, { value, enumerable: true, writable: true, configurable: true });
  }
  return result;
};

/** A caller's value for an input: under its id as written, or down its dotted path. */
const givenValue = (raw: Readonly<Record<string, unknown>>, id: string): unknown => {
  if (Object.hasOwn(raw, id)) return raw[id];
  let current: unknown = raw;
  for (const key of id.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current) || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
};

const expressionContext = (flow: FlowDefinition, inputs: JsonObject, scope: InputScope | undefined): ExpressionContext => ({
  inputs,
  outputs: {},
  execution: { id: scope?.executionId ?? '', startDate: scope?.now ?? '', originalId: scope?.executionId ?? '' },
  flow: { id: flow.id, namespace: flow.namespace, revision: flow.revision },
  labels: scope?.labels ?? flow.labels,
  ...(flow.variables !== undefined ? { vars: flow.variables } : {}),
  ...(scope?.now !== undefined ? { now: scope.now } : {}),
});

/** Kestra's renderTyped: a template that is one `{{ expression }}` gives its value, anything else its text. */
const renderTyped = (template: string, context: ExpressionContext): JsonValue => {
  const single = /^\s*\{\{([\s\S]*)\}\}\s*$/.exec(template);
  if (single !== null && !single[1]!.includes('{{') && !single[1]!.includes('}}')) return evaluateExpression(single[1]!, context);
  return renderTemplate(template, context);
};

const attemptRender = <T>(render: () => T): { value: T } | { error: string } => {
  try {
    return { value: render() };
  } catch (error) {
    if (error instanceof ExpressionError) return { error: error.message };
    throw error;
  }
};

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
  let masked = inputs;
  for (const secret of flow.inputs.filter((i) => i.secret)) masked = maskAt(masked, secret.id.split('.'));
  return masked;
};

/** A copy of `object` with the value down `path` masked (when present and not null). */
const maskAt = (object: JsonObject, path: readonly string[]): JsonObject => {
  const [key, ...rest] = path;
  if (key === undefined || !Object.hasOwn(object, key)) return object;
  const value = object[key];
  if (rest.length === 0) return value === null ? object : { ...object, [key]: SECRET_MASK };
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...object, [key]: maskAt(value, rest) } : object;
};
