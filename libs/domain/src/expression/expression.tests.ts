import { isEmpty, isPlainObject, type Value } from './expression.values.js';

/** Pebble's tests (`x is defined`, `x is not empty`) and Kestra's `json`. A missing variable arrives as undefined. */
export const TESTS: Readonly<Record<string, (value: Value) => boolean>> = {
  // Pebble's `defined` is "not null": a variable set to null is not defined either.
  defined: (value) => value !== undefined && value !== null,
  null: (value) => value === undefined || value === null,
  empty: (value) => isEmpty(value),
  even: (value) => typeof value === 'number' && Number.isInteger(value) && value % 2 === 0,
  odd: (value) => typeof value === 'number' && Number.isInteger(value) && Math.abs(value % 2) === 1,
  iterable: (value) => Array.isArray(value),
  map: (value) => isPlainObject(value),
  json: (value) => {
    if (typeof value !== 'string') return false;
    try {
      JSON.parse(value);
      return true;
    } catch {
      return false;
    }
  },
};
