import { parse } from 'yaml';
import type { JsonValue } from '../shared/json.js';
import { isPlainObject } from './expression.values.js';

/**
 * Kestra's `yaml` filter (Jackson's YAMLGenerator with MINIMIZE_QUOTES, INDENT_ARRAYS, no document
 * marker): plain scalars where YAML reads them back as the same string, double quotes otherwise;
 * list items indented one space under their parent (` - a`); a trailing newline.
 */
export const toYamlText = (value: JsonValue): string => `${emit(value, 0).join('\n')}\n`;

const plainIsSafe = (text: string): boolean => {
  if (text === '' || text !== text.trim() || /[\n\r\t]|: | #|^[-?:,[\]{}#&*!|>'"%@`]/.test(text) || text.endsWith(':')) return false;
  try {
    return parse(text) === text;
  } catch {
    return false;
  }
};

const scalar = (value: JsonValue): string => {
  if (value === null) return 'null';
  if (typeof value === 'string') return plainIsSafe(value) ? value : JSON.stringify(value);
  if (Array.isArray(value)) return '[]';
  if (isPlainObject(value)) return '{}';
  return String(value);
};

const isBlock = (value: JsonValue): boolean =>
  (Array.isArray(value) && value.length > 0) || (isPlainObject(value) && Object.keys(value).length > 0);

const key = (k: string): string => (plainIsSafe(k) ? k : JSON.stringify(k));

/** The lines of `value`, its keys (or its items' dashes, one column further) at `indent` columns. */
const emit = (value: JsonValue, indent: number): string[] => {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value) && value.length > 0) {
    return value.flatMap((item) => {
      if (!isBlock(item)) return [`${pad} - ${scalar(item)}`];
      // The item's content starts at column indent + 3; a nested list's own " - " adds one column.
      const [first, ...rest] = emit(item, Array.isArray(item) ? indent + 2 : indent + 3);
      return [`${pad} - ${first!.trimStart()}`, ...rest];
    });
  }
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    return Object.entries(value).flatMap(([k, v]) => {
      if (!isBlock(v)) return [`${pad}${key(k)}: ${scalar(v)}`];
      return [`${pad}${key(k)}:`, ...emit(v, Array.isArray(v) ? indent : indent + 2)];
    });
  }
  return [`${pad}${scalar(value)}`];
};
