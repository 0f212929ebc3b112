import type { JsonValue } from '../shared/json.js';
import type { InputDefinition, InputType } from './flow.model.js';
import { orderedValue } from './input-types.js';
import { compileRegex } from '../expression/expression.regex.js';

/** Types whose `min`/`max` bound the value itself (ARRAY bounds its item count). */
export const BOUNDED_TYPES: readonly InputType[] = ['INT', 'FLOAT', 'DURATION', 'DATE', 'DATETIME', 'TIME', 'ARRAY'];
/** Types that take `regex` (or Kestra's `validator`). */
export const PATTERN_TYPES: readonly InputType[] = ['STRING', 'SECRET', 'EMAIL', 'URI'];
/** Types that take `minLength`/`maxLength`. */
export const LENGTH_TYPES: readonly InputType[] = ['STRING', 'SECRET'];

/**
 * Like Java's `Pattern.matches`, which Kestra uses: the whole value must match. On RE2 (linear in the
 * value): a flow author's pattern such as `(a+)+$` must not stall the process that checks the inputs
 * of whoever starts the flow (issue 18). Throws, naming RE2's limits, for a pattern RE2 refuses.
 */
export const wholeMatch = (regex: string): { matches(value: string): boolean } => compileRegex(regex, 'regex');

const bound = (input: InputDefinition, value: JsonValue, limit: number | string, side: 'min' | 'max'): string | undefined => {
  const word = side === 'min' ? 'at least' : 'at most';
  if (input.type === 'ARRAY') {
    const count = Array.isArray(value) ? value.length : 0;
    const ok = side === 'min' ? count >= Number(limit) : count <= Number(limit);
    return ok ? undefined : `must have ${word} ${limit} item${limit === 1 ? '' : 's'}, got ${count}`;
  }
  const [actual, edge] = [orderedValue(input.type, value), orderedValue(input.type, limit)];
  if (actual === undefined || edge === undefined) return undefined;
  const ok = side === 'min' ? actual >= edge : actual <= edge;
  return ok ? undefined : `must be ${word} ${limit}, got ${JSON.stringify(value)}`;
};

/** Every rule a value of the right type breaks, as messages that say what to fix. */
export const ruleViolations = (input: InputDefinition, value: JsonValue): string[] => {
  const problems: string[] = [];
  if (input.min !== undefined) problems.push(bound(input, value, input.min, 'min') ?? '');
  if (input.max !== undefined) problems.push(bound(input, value, input.max, 'max') ?? '');
  if (typeof value === 'string') {
    if (input.regex !== undefined && !wholeMatch(input.regex).matches(value)) problems.push(`must match the pattern ${input.regex}`);
    const length = [...value].length;
    if (input.minLength !== undefined && length < input.minLength) problems.push(`must be at least ${input.minLength} characters long, got ${length}`);
    if (input.maxLength !== undefined && length > input.maxLength) problems.push(`must be at most ${input.maxLength} characters long, got ${length}`);
  }
  return problems.filter((p) => p !== '');
};
