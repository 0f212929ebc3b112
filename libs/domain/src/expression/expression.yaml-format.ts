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

/** Lines of `value` at `indent` columns; a map's or a list's first line carries no indentation of its own when `inline`. */
const emit = (value: JsonValue, indent: number): string[] => {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value) && value.length > 0) {
    return value.flatMap((item) => {
      if (!isBlock(item)) return [`${pad} - ${scalar(item)}`];
      const [first, ...rest] = emit(item, indent + 3);
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
