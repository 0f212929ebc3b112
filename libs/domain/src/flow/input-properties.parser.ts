import type { JsonObject, JsonValue } from '../shared/json.js';
import type { InputDefinition, InputType } from './flow.model.js';
import { describe, isRecord } from './flow-parsing.helpers.js';
import type { Path } from './yaml-source.js';

/** The properties an input takes, and the parsing of those beyond its type, value and rules. */

/** Properties of Kestra's Input base class (core/src/main/java/io/kestra/core/models/flows/Input.java). */
export const COMMON_KEYS = ['id', 'name', 'type', 'description', 'dependsOn', 'required', 'defaults', 'displayName'];

/**
 * Each type's own properties (core/src/main/java/io/kestra/core/models/flows/input/*.java), plus
 * Chronicle's additions: `min`/`max` on the date and time types (Kestra's `after`/`before`) and
 * ARRAY (item count), `regex` for `validator`, `minLength`/`maxLength` on text.
 */
export const TYPE_KEYS: Readonly<Record<InputType, readonly string[]>> = {
  STRING: ['validator', 'regex', 'minLength', 'maxLength'],
  SECRET: ['validator', 'regex', 'minLength', 'maxLength'],
  EMAIL: ['validator', 'regex'],
  URI: ['validator', 'regex'],
  INT: ['min', 'max'],
  FLOAT: ['min', 'max'],
  DURATION: ['min', 'max'],
  DATE: ['after', 'before', 'min', 'max'],
  DATETIME: ['after', 'before', 'min', 'max'],
  TIME: ['after', 'before', 'min', 'max'],
  BOOLEAN: [],
  JSON: [],
  YAML: [],
  FILE: ['extension'],
  ENUM: ['values'],
  SELECT: ['values', 'expression', 'allowCustomValue', 'isRadio'],
  MULTISELECT: ['values', 'options', 'expression', 'itemType', 'allowCustomValue'],
  ARRAY: ['itemType', 'min', 'max'],
};

export type Problem = (path: Path, message: string) => void;

/** Kestra's DependsOn record: `{ inputs: [ids], condition: expression }`. */
export const parseDependsOn = (raw: JsonValue | undefined, at: Path, problem: Problem): InputDefinition['dependsOn'] => {
  if (raw === undefined || raw === null) return undefined;
  if (!isRecord(raw)) {
    problem(at, `must be a mapping with "inputs" (a list of input ids) and an optional "condition", got ${describe(raw)}`);
    return undefined;
  }
  for (const key of Object.keys(raw).filter((k) => k !== 'inputs' && k !== 'condition')) problem([...at, key], `unknown property "${key}" of dependsOn (inputs, condition)`);
  const inputs = raw.inputs ?? [];
  if (!Array.isArray(inputs) || !inputs.every((i) => typeof i === 'string')) {
    problem([...at, 'inputs'], `must be a list of input ids, got ${describe(inputs)}`);
    return undefined;
  }
  const { condition } = raw;
  if (condition !== undefined && condition !== null) {
    if (typeof condition !== 'string') problem([...at, 'condition'], `must be an expression, got ${describe(condition)}`);
    // Whether the condition parses is checked with every other template of the flow.
  }
  return { inputs: inputs as string[], ...(typeof condition === 'string' ? { condition } : {}) };
};

/** SELECT/MULTISELECT `expression`, `allowCustomValue`, `isRadio`; FILE `extension`. */
export const parseTypeExtras = (raw: JsonObject, type: InputType, at: Path, problem: Problem): Partial<InputDefinition> => {
  const extras: { expression?: string; allowCustomValue?: boolean; isRadio?: boolean; extension?: string } = {};
  if (raw.expression !== undefined && raw.expression !== null) {
    if (typeof raw.expression !== 'string') problem([...at, 'expression'], `must be an expression rendering a list of values, got ${describe(raw.expression)}`);
    else extras.expression = raw.expression;
  }
  for (const key of ['allowCustomValue', 'isRadio'] as const) {
    const value = raw[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'boolean') problem([...at, key], `must be true or false, got ${describe(value)}`);
    else extras[key] = value;
  }
  if (type === 'FILE' && raw.extension !== undefined && raw.extension !== null) {
    if (typeof raw.extension !== 'string') problem([...at, 'extension'], `must be a file extension such as .csv, got ${describe(raw.extension)}`);
    else extras.extension = raw.extension;
  }
  return extras;
};
