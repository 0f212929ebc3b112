import type { JsonValue } from '../shared/json.js';
import type { Args, Env } from './expression.arguments.js';
import type { Value } from './expression.values.js';

/**
 * The shapes of a filter and of a function. They live apart from the registries
 * (expression.filters.ts, expression.functions.ts) so that the files each registry is built from
 * can name them without importing the registry back.
 */
export interface Filter {
  /** Parameter names in order; arguments may be positional or named (`date(timeZone="UTC")`). */
  readonly params?: readonly string[];
  /** When true the input may be undefined (a missing variable) instead of failing first. */
  readonly lenientInput?: boolean;
  readonly apply: (input: Value, args: Args, env: Env) => JsonValue;
}

export interface ExpressionFunction {
  readonly params: readonly string[];
  /** Takes any number of positional arguments, bound as "0", "1", ... (Pebble's max and min). */
  readonly variadic?: boolean;
  readonly apply: (args: Args, env: Env) => JsonValue;
}
