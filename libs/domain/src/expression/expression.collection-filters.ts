import type { JsonValue } from '../shared/json.js';
import { EvaluationFailure } from './expression.error.js';
import type { Filter } from './expression.callables.js';
import { compareValues, deepEqual, isPlainObject, typeOf, type Value } from './expression.values.js';

/** List and map filters of Kestra's Extension.java and Pebble's CoreExtension; a null input stays null. */

const wholeNumber = (name: string, arg: string, value: Value): number => {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new EvaluationFailure(`filter "${name}" expects a whole number as argument '${arg}', got ${typeOf(value)}`);
  }
  return value;
};

const listOf = (name: string, input: Value, message = `filter "${name}" can only be applied to a list, got`): readonly JsonValue[] => {
  if (Array.isArray(input)) return input;
  throw new EvaluationFailure(`${message} ${typeOf(input)}`);
};

/** Pebble's merge: the left side decides the type; a list merged into a map adds each item as its own key. */
const merge: Filter = {
  params: ['items'],
  apply: (input, { items }) => {
    const right = items ?? null;
    if (input === undefined || input === null) {
      if (right === null) throw new EvaluationFailure('The two arguments to be merged are null');
      return right;
    }
    if (right === null) return input;
    if (isPlainObject(input)) {
      if (isPlainObject(right)) return { ...input, ...right };
      if (Array.isArray(right)) return { ...input, ...Object.fromEntries(right.map((item) => [String(item), item])) };
      throw new EvaluationFailure(`Currently, only Maps and Lists can be merged with a Map, got ${typeOf(right)}`);
    }
    if (Array.isArray(input)) {
      if (Array.isArray(right)) return [...input, ...right];
      if (isPlainObject(right)) return [...input, ...Object.entries(right).map(([key, value]) => ({ key, value }))];
      throw new EvaluationFailure(`Currently, only Maps and Lists can be merged with a List, got ${typeOf(right)}`);
    }
    throw new EvaluationFailure(`The object being filtered is not a Map/List, got ${typeOf(input)}`);
  },
};

/** Pebble's slice: [fromIndex, toIndex) of a list or text; toIndex defaults to the length. */
const slice: Filter = {
  params: ['fromIndex', 'toIndex'],
  apply: (input, { fromIndex, toIndex }) => {
    if (input === null) return null;
    if (typeof input !== 'string' && !Array.isArray(input)) {
      throw new EvaluationFailure(`Slice filter can only be applied to String, List and array inputs, got ${typeOf(input)}`);
    }
    const from = fromIndex === undefined || fromIndex === null ? 0 : wholeNumber('slice', 'fromIndex', fromIndex);
    if (from < 0) throw new EvaluationFailure('fromIndex must be greater than 0');
    const length = input.length;
    let to = length;
    if (toIndex !== undefined && toIndex !== null) {
      to = wholeNumber('slice', 'toIndex', toIndex);
      if (to > length) throw new EvaluationFailure(`toIndex must be smaller than input size: ${length}`);
      if (from >= to) throw new EvaluationFailure('toIndex must be greater than fromIndex');
    }
    return input.slice(from, to);
  },
};

const sorted = (name: string, input: Value, direction: 1 | -1): JsonValue => {
  if (input === null) return null;
  return [...listOf(name, input)].sort((a, b) => direction * compareValues(a, b, 'and'));
};

export const COLLECTION_FILTERS: Readonly<Record<string, Filter>> = {
  /** Kestra's ChunkFilter: Guava's Lists.partition. */
  chunk: {
    params: ['size'],
    apply: (input, { size }) => {
      if (input === null) return null;
      if (size === undefined) throw new EvaluationFailure("'chunk' filter expects an argument 'size'.");
      const list = listOf('chunk', input, "'chunk' filter can only be applied to List. Actual type was:");
      const n = wholeNumber('chunk', 'size', size);
      if (n <= 0) throw new EvaluationFailure("'chunk' filter expects a 'size' greater than 0");
      return Array.from({ length: Math.ceil(list.length / n) }, (_, i) => list.slice(i * n, i * n + n));
    },
  },
  /** Kestra's FlattenFilter: one level. */
  flatten: {
    apply: (input) => {
      if (input === null) return null;
      return listOf('flatten', input, "The 'flatten' filter can only be applied to lists, got").flatMap((item) => (Array.isArray(item) ? item : [item]));
    },
  },
  /** The distinct items, in first-seen order (newer Kestra's DistinctFilter). */
  distinct: {
    apply: (input) => {
      if (input === null) return null;
      const out: JsonValue[] = [];
      for (const item of listOf('distinct', input)) if (!out.some((seen) => deepEqual(seen, item))) out.push(item);
      return out;
    },
  },
  /** Newer Kestra's UniqFilter: a list's distinct items in first-seen order; anything else as it is. */
  uniq: {
    apply: (input) => {
      if (!Array.isArray(input)) return input === undefined ? null : input;
      const out: JsonValue[] = [];
      for (const item of input) if (!out.some((seen) => deepEqual(seen, item))) out.push(item);
      return out;
    },
  },
  keys: {
    apply: (input) => {
      if (input === null) return null;
      if (Array.isArray(input)) return input.map((_, i) => i);
      if (isPlainObject(input)) return Object.keys(input);
      throw new EvaluationFailure(`'keys' filter can only be applied to List, Map, Array. Actual type was: ${typeOf(input)}`);
    },
  },
  values: {
    apply: (input) => {
      if (input === null) return null;
      if (isPlainObject(input)) return Object.values(input);
      throw new EvaluationFailure(`'values' filter can only be applied to Map. Actual type was: ${typeOf(input)}`);
    },
  },
  merge,
  slice,
  sort: { apply: (input) => sorted('sort', input, 1) },
  rsort: { apply: (input) => sorted('rsort', input, -1) },
};
