import type { JsonValue } from '../shared/json.js';
import type { Args, Env } from './expression.arguments.js';
import { EvaluationFailure } from './expression.error.js';
import { expectNumber, expectString, isPlainObject, toText, typeOf } from './expression.values.js';
import { CRYPTO_FUNCTIONS } from './expression.crypto-functions.js';
import { HOST_FUNCTIONS } from './expression.host-functions.js';
import { formatZoned, toZonedDate } from './java-date-format.js';
import { MORE_FUNCTIONS } from './expression.more-functions.js';
import { RANGE_FUNCTION } from './expression.range.js';
import { TASKS_WITH_STATE } from './expression.state-functions.js';
import { CALENDAR_FUNCTIONS } from './expression.calendar-functions.js';

const withPrefix = <T>(name: string, run: () => T): T => {
  try {
    return run();
  } catch (error) {
    if (error instanceof EvaluationFailure) throw new EvaluationFailure(`${name}: ${error.reason}`);
    throw error;
  }
};

export type { ExpressionFunction } from './expression.callables.js';
import type { ExpressionFunction } from './expression.callables.js';

export { MAX_RANGE_ITEMS } from './expression.range.js';

const fromJson: ExpressionFunction = {
  params: ['json'],
  apply: ({ json }) => {
    if (json === undefined) throw new EvaluationFailure("The 'fromJson' function expects an argument 'json'.");
    if (json === null) return null;
    const text = expectString(json, 'fromJson');
    try {
      return JSON.parse(text) as JsonValue;
    } catch (error) {
      throw new EvaluationFailure(`fromJson: invalid JSON (${(error as Error).message})`);
    }
  },
};

/**
 * Kestra's functions that make sense in a pure domain. `now()` reads the decision's clock from
 * the context (`ExpressionContext.now`), never the machine's.
 */
export const FUNCTIONS: Readonly<Record<string, ExpressionFunction>> = {
  /** Kestra's NowFunction: the decision's clock, formatted like the `date` filter (default `iso`). */
  now: {
    params: ['format', 'timeZone', 'existingFormat', 'locale'],
    apply: (a, env) => {
      if (env.now === undefined) throw new EvaluationFailure('now() is not available here (no clock in this context)');
      const now = env.now;
      return withPrefix('now()', () => formatZoned(toZonedDate(now, a.timeZone, undefined), a.format, a.locale));
    },
  },
  /** The entry of a looped task's outputs for the current iteration: walks `parents` (outermost first), then `taskrun.value`. */
  currentEachOutput: {
    params: ['outputs'],
    apply: ({ outputs }, env) => {
      if (!isPlainObject(outputs)) throw new EvaluationFailure(`currentEachOutput expects a map of outputs, got ${typeOf(outputs)}`);
      const valueOf = (holder: unknown): string | undefined => {
        const taskrun = isPlainObject(holder as JsonValue) ? (holder as Record<string, JsonValue>).taskrun : undefined;
        const value = isPlainObject(taskrun) ? taskrun.value : undefined;
        return value === undefined || value === null ? undefined : toText(value);
      };
      const parents = Array.isArray(env.scope.parents) ? [...env.scope.parents].reverse() : [];
      let current: JsonValue = outputs;
      for (const parent of parents) {
        const key = valueOf(parent);
        if (key === undefined) continue;
        const next: JsonValue | undefined = isPlainObject(current) && Object.hasOwn(current, key) ? current[key] : undefined;
        if (next === undefined || next === null) throw new EvaluationFailure(`currentEachOutput: no outputs for the loop value "${key}"`);
        current = next;
      }
      const own = valueOf(env.scope);
      if (own === undefined) throw new EvaluationFailure('currentEachOutput is only available inside a loop (no taskrun.value)');
      return isPlainObject(current) && Object.hasOwn(current, own) ? current[own] : null;
    },
  },
  /** Kestra's ERROR log lines of this execution, oldest first; none outside an execution. */
  errorLogs: {
    params: [],
    apply: (_, env) => [...(env.errorLogs ?? [])],
  },
  fromJson,
  json: fromJson,
  jsonDecode: fromJson,
  ...MORE_FUNCTIONS,
  ...HOST_FUNCTIONS,
  ...CRYPTO_FUNCTIONS,
  tasksWithState: TASKS_WITH_STATE,
  ...CALENDAR_FUNCTIONS,
  range: RANGE_FUNCTION,
};
