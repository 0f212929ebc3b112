import type { JsonValue } from '../shared/json.js';
import type { ExpressionFunction } from './expression.callables.js';
import { EvaluationFailure } from './expression.error.js';
import { typeOf, type Value } from './expression.values.js';

/** The most items `range()` (and `..`) builds, so that an expression cannot exhaust memory. */
export const MAX_RANGE_ITEMS = 10_000;

const ARGUMENTS = 'Arguments of range function must be of type Number or String with a length of 1';

/**
 * Pebble's RangeFunction (io.pebbletemplates.pebble.extension.core.RangeFunction, what `a..b`
 * compiles to as well): arguments `start`, `end`, `increment` (default 1, never 0), both ends
 * included; numbers are taken as Java longs (truncated), or two one-character texts give the
 * characters between them (`'a'..'e'`).
 */
export const RANGE_FUNCTION: ExpressionFunction = {
  params: ['start', 'end', 'increment'],
  apply: ({ start, end, increment }) => {
    if (increment !== undefined && increment !== null && typeof increment !== 'number') {
      throw new EvaluationFailure(`The increment of the range function must be a number, got ${typeOf(increment)}`);
    }
    const by = increment === undefined || increment === null ? 1 : Math.trunc(increment);
    if (by === 0) throw new EvaluationFailure('The increment of the range function must be different than 0');
    const ends = bounds(start, end);
    const count = Math.max(0, Math.floor((ends.to - ends.from) / by) + 1);
    if (count > MAX_RANGE_ITEMS) throw new EvaluationFailure(`range would build ${count} items; at most ${MAX_RANGE_ITEMS}`);
    return Array.from({ length: count }, (_, i): JsonValue => (ends.chars ? String.fromCharCode(ends.from + i * by) : ends.from + i * by));
  },
};

const bounds = (start: Value, end: Value): { from: number; to: number; chars: boolean } => {
  if (typeof start === 'number' && typeof end === 'number') return { from: Math.trunc(start), to: Math.trunc(end), chars: false };
  if (typeof start === 'string' && typeof end === 'string') {
    if (start.length !== 1 || end.length !== 1) throw new EvaluationFailure(ARGUMENTS);
    return { from: start.charCodeAt(0), to: end.charCodeAt(0), chars: true };
  }
  throw new EvaluationFailure(`${ARGUMENTS}, got ${typeOf(start)} and ${typeOf(end)}`);
};
