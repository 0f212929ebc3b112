import type { JsonValue } from '../shared/json.js';
import type { Filter } from './expression.callables.js';
import { toIonText } from './expression.ion.js';
import { isPlainObject, toText } from './expression.values.js';
import { toYamlText } from './expression.yaml-format.js';

/** Kestra's serializing filters: `toJson` (and the deprecated `json`), `toIon`, `yaml`; a null input writes "null". */
const toJson: Filter = { apply: (input) => JSON.stringify(input ?? null) };

/**
 * The Java class Kestra would report for a value (`className`): JSON values only have these;
 * numbers that fit an int are Integer, other whole numbers Long, the rest Double.
 */
const className = (value: JsonValue): string => {
  if (typeof value === 'string') return 'java.lang.String';
  if (typeof value === 'boolean') return 'java.lang.Boolean';
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return 'java.lang.Double';
    return value >= -(2 ** 31) && value < 2 ** 31 ? 'java.lang.Integer' : 'java.lang.Long';
  }
  if (Array.isArray(value)) return 'java.util.ArrayList';
  return isPlainObject(value) ? 'java.util.LinkedHashMap' : '';
};

export const SERIAL_FILTERS: Readonly<Record<string, Filter>> = {
  toJson,
  json: toJson,
  jsonEncode: toJson,
  toIon: { apply: (input) => toIonText((input ?? null) as JsonValue) },
  yaml: { apply: (input) => (input === null || input === undefined ? 'null' : toYamlText(input)) },
  className: { apply: (input) => (input === null ? null : className(input as JsonValue)) },
  /** Newer Kestra's `string`: the value as text (maps and lists as JSON). */
  string: { apply: (input) => (input === null ? null : toText(input)) },
};
