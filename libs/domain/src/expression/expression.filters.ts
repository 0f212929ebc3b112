import type { JsonValue } from '../shared/json.js';
import { EvaluationFailure } from './expression.error.js';
import { expectNumber, expectString, isEmpty, isPlainObject, toText, typeOf, type Value } from './expression.values.js';

export interface Filter {
  /** When true the input may be undefined (a missing variable) instead of failing first. */
  readonly lenientInput?: boolean;
  readonly apply: (input: Value, args: readonly Value[]) => JsonValue;
}

const textual = (name: string, input: Value): string => {
  if (input === undefined || (typeof input === 'object' && input !== null)) {
    throw new EvaluationFailure(`filter "${name}" expects text, got ${typeOf(input)}`);
  }
  return toText(input);
};

const firstOrLast = (name: string, input: Value, pick: 'first' | 'last'): JsonValue => {
  if (typeof input === 'string' || Array.isArray(input)) {
    if (input.length === 0) return null;
    const item = input[pick === 'first' ? 0 : input.length - 1];
    return item ?? null;
  }
  throw new EvaluationFailure(`filter "${name}" expects a list or text, got ${typeOf(input)}`);
};

/** Pebble/Kestra filters, v0 set. Each is pure and works on JSON values only. */
export const FILTERS: Readonly<Record<string, Filter>> = {
  upper: { apply: (input) => textual('upper', input).toUpperCase() },
  lower: { apply: (input) => textual('lower', input).toLowerCase() },
  trim: { apply: (input) => textual('trim', input).trim() },
  default: {
    lenientInput: true,
    apply: (input, [fallback]) => (isEmpty(input) ? (fallback ?? null) : (input as JsonValue)),
  },
  length: {
    apply: (input) => {
      if (input === null) return 0;
      if (typeof input === 'string' || Array.isArray(input)) return input.length;
      if (isPlainObject(input)) return Object.keys(input).length;
      throw new EvaluationFailure(`filter "length" expects a list, an object or text, got ${typeOf(input)}`);
    },
  },
  json: { apply: (input) => JSON.stringify(input ?? null) },
  toJson: { apply: (input) => JSON.stringify(input ?? null) },
  first: { apply: (input) => firstOrLast('first', input, 'first') },
  last: { apply: (input) => firstOrLast('last', input, 'last') },
  join: {
    apply: (input, [separator]) => {
      if (!Array.isArray(input)) throw new EvaluationFailure(`filter "join" expects a list, got ${typeOf(input)}`);
      return input.map(toText).join(separator === undefined ? '' : expectString(separator, 'join separator'));
    },
  },
  split: {
    apply: (input, [delimiter, limit]) => {
      const text = expectString(input, 'filter "split"');
      const parts = text.split(expectString(delimiter, 'split delimiter'));
      if (limit === undefined || limit === null) return parts;
      const max = expectNumber(limit, 'split limit');
      // Pebble keeps the remainder in the last part, like Java's String.split(regex, limit).
      return max > 0 && parts.length > max ? [...parts.slice(0, max - 1), parts.slice(max - 1).join(delimiter as string)] : parts;
    },
  },
  replace: {
    apply: (input, [search, replacement]) =>
      expectString(input, 'filter "replace"').replaceAll(
        expectString(search, 'replace search'),
        textual('replace', replacement ?? ''),
      ),
  },
  number: {
    apply: (input) => {
      if (typeof input === 'number') return input;
      const text = expectString(input, 'filter "number"').trim();
      const parsed = text === '' ? Number.NaN : Number(text);
      if (!Number.isFinite(parsed)) throw new EvaluationFailure(`filter "number": "${text}" is not a number`);
      return parsed;
    },
  },
  abs: { apply: (input) => Math.abs(expectNumber(input, 'filter "abs"')) },
};
