import type { JsonValue } from '../shared/json.js';
import type { Args, Env } from './expression.arguments.js';
import { COLLECTION_FILTERS } from './expression.collection-filters.js';
import { DATE_FILTERS } from './expression.date-filters.js';
import { jqFilter } from './expression.jq.js';
import { NUMBER_FORMAT_FILTER } from './expression.number-format.js';
import { regexReplaceAll, regexSplit } from './expression.regex.js';
import { REGEX_FILTERS } from './expression.regex-filters.js';
import { SERIAL_FILTERS } from './expression.serial-filters.js';
import { TEXT_FILTERS } from './expression.text-filters.js';
import { EvaluationFailure } from './expression.error.js';
import {
  expectNumber, expectString, isEmpty, isPlainObject, toText, typeOf, type Value,
} from './expression.values.js';

export type { Filter } from './expression.callables.js';
import type { Filter } from './expression.callables.js';

const textual = (name: string, input: Value): string => {
  if (input === undefined || (typeof input === 'object' && input !== null)) {
    throw new EvaluationFailure(`filter "${name}" expects text, got ${typeOf(input)}`);
  }
  return toText(input);
};

const list = (name: string, input: Value): JsonValue[] => {
  if (Array.isArray(input)) return input;
  throw new EvaluationFailure(`filter "${name}" expects a list, got ${typeOf(input)}`);
};

const map = (name: string, input: Value): Readonly<Record<string, JsonValue>> => {
  if (isPlainObject(input)) return input;
  throw new EvaluationFailure(`filter "${name}" expects a map, got ${typeOf(input)}`);
};

const firstOrLast = (name: string, input: Value, pick: 'first' | 'last'): JsonValue => {
  if (typeof input === 'string' || Array.isArray(input)) {
    if (input.length === 0) return null;
    return input[pick === 'first' ? 0 : input.length - 1] ?? null;
  }
  throw new EvaluationFailure(`filter "${name}" expects a list or text, got ${typeOf(input)}`);
};

/** Apache StringUtils semantics, as Kestra's substring filters: a missing separator keeps all (before) or nothing (after). */
const substring = (name: string, side: 'before' | 'after', last: boolean): Filter => ({
  params: ['separator'],
  apply: (input, { separator }) => {
    if (input === null) return null;
    const text = textual(name, input);
    const sep = expectString(separator, `filter "${name}" separator`);
    const at = last ? text.lastIndexOf(sep) : text.indexOf(sep);
    if (at === -1) return side === 'before' ? text : '';
    return side === 'before' ? text.slice(0, at) : text.slice(at + sep.length);
  },
});


/** Kestra's replace takes a map of replacements (`replace({"a": "b"}, regexp=true)`); `replace("a", "b")` is accepted too. */
const replace = (input: Value, { replace_pairs: pairs, regexp }: Args): JsonValue => {
  if (input === null) return null;
  const replacements: [string, string][] =
    typeof pairs === 'string'
      ? [[pairs, textual('replace', regexp ?? '')]]
      : Object.entries(map('replace', pairs)).map(([k, v]) => [k, toText(v)]);
  const useRegex = typeof pairs !== 'string' && regexp === true;
  const one = (text: string): string =>
    replacements.reduce((acc, [from, to]) => {
      return useRegex ? regexReplaceAll(acc, from, to, 'filter "replace"') : acc.replaceAll(from, to);
    }, text);
  const deep = (value: JsonValue): JsonValue =>
    Array.isArray(value) ? value.map(deep) : isPlainObject(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deep(v)])) : one(toText(value));
  return deep(input as JsonValue);
};

const parseNumber = (input: Value, type: Value): number => {
  if (typeof input === 'number') return input;
  const text = expectString(input, 'filter "number"').trim();
  const integerOnly = type === 'INT' || type === 'LONG' || type === 'BIGINTEGER';
  const valid = integerOnly ? /^[+-]?\d+$/.test(text) : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text);
  const parsed = Number(text);
  if (!valid || !Number.isFinite(parsed)) {
    throw new EvaluationFailure(`filter "number": "${text}" is not ${integerOnly ? 'a whole number' : 'a number'}`);
  }
  return parsed;
};

/** Pebble/Kestra filters. Each is pure and works on JSON values only. */
export const FILTERS: Readonly<Record<string, Filter>> = {
  upper: { apply: (input) => textual('upper', input).toUpperCase() },
  lower: { apply: (input) => textual('lower', input).toLowerCase() },
  trim: { apply: (input) => textual('trim', input).trim() },
  capitalize: {
    apply: (input) => {
      const text = textual('capitalize', input);
      return text.charAt(0).toUpperCase() + text.slice(1);
    },
  },
  title: { apply: (input) => textual('title', input).replace(/(^|\s)(\S)/g, (_, space: string, c: string) => space + c.toUpperCase()) },
  default: {
    params: ['default'],
    lenientInput: true,
    apply: (input, args) => (isEmpty(input) ? (args.default ?? null) : (input as JsonValue)),
  },
  length: {
    apply: (input) => {
      if (input === null) return 0;
      if (typeof input === 'string' || Array.isArray(input)) return input.length;
      if (isPlainObject(input)) return Object.keys(input).length;
      throw new EvaluationFailure(`filter "length" expects a list, a map or text, got ${typeOf(input)}`);
    },
  },
  first: { apply: (input) => firstOrLast('first', input, 'first') },
  last: { apply: (input) => firstOrLast('last', input, 'last') },
  join: {
    params: ['separator'],
    apply: (input, { separator }) =>
      list('join', input).map(toText).join(separator === undefined ? '' : expectString(separator, 'join separator')),
  },
  /** Pebble's split is Java's String.split: the delimiter is a regular expression (run on RE2), trailing empty parts dropped. */
  split: {
    params: ['delimiter', 'limit'],
    apply: (input, { delimiter, limit }) => {
      if (input === null) return null;
      const text = expectString(input, 'filter "split"');
      if (delimiter === undefined || delimiter === null) throw new EvaluationFailure('missing delimiter parameter in split filter');
      const sep = expectString(delimiter, 'split delimiter');
      const max = limit === undefined || limit === null ? 0 : expectNumber(limit, 'split limit');
      return regexSplit(text, sep, max, 'filter "split"');
    },
  },
  replace: { params: ['replace_pairs', 'regexp'], apply: replace },
  number: { params: ['type'], apply: (input, { type }) => (input === null ? null : parseNumber(input, type)) },
  abs: { apply: (input) => Math.abs(expectNumber(input, 'filter "abs"')) },
  reverse: {
    apply: (input) => (typeof input === 'string' ? [...input].reverse().join('') : [...list('reverse', input)].reverse()),
  },
  startsWith: { params: ['value'], apply: (input, { value }) => textual('startsWith', input).startsWith(textual('startsWith', value)) },
  endsWith: { params: ['value'], apply: (input, { value }) => textual('endsWith', input).endsWith(textual('endsWith', value)) },
  substringBefore: substring('substringBefore', 'before', false),
  substringBeforeLast: substring('substringBeforeLast', 'before', true),
  substringAfter: substring('substringAfter', 'after', false),
  substringAfterLast: substring('substringAfterLast', 'after', true),
  ...DATE_FILTERS,
  ...TEXT_FILTERS,
  ...COLLECTION_FILTERS,
  ...SERIAL_FILTERS,
  ...REGEX_FILTERS,
  jq: jqFilter,
  numberFormat: NUMBER_FORMAT_FILTER,
};
