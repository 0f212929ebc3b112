import type { JsonObject, JsonValue } from '../shared/json.js';
import type { InputDefinition, InputType } from './flow.model.js';
import { INPUT_TYPES } from './flow.model.js';
import { describe, isRecord, type Report } from './flow-parsing.helpers.js';
import { COMMON_KEYS, parseDependsOn, parseTypeExtras, TYPE_KEYS, type Problem } from './input-properties.parser.js';
import { BOUNDED_TYPES, LENGTH_TYPES, PATTERN_TYPES, ruleViolations, wholeMatch } from './input-rules.js';
import { coerceInput } from './input-types.js';
import type { Path } from './yaml-source.js';

const isInputType = (value: string): value is InputType => (INPUT_TYPES as readonly string[]).includes(value);

/** Kestra's later name for BOOLEAN (a toggle in its UI). */
const TYPE_ALIASES: Readonly<Record<string, InputType>> = { BOOL: 'BOOLEAN' };

/** Kestra's input ids (Input.java): dotted ids are read as nested maps (`inputs.nested.more.int`). */
export const INPUT_ID_PATTERN = /^[a-zA-Z0-9][.a-zA-Z0-9_-]*$/;

/** Parses `inputs:`; `name` is accepted for `id` and `validator` for `regex`, as older Kestra flows use them. */
export const parseInputDefinitions = (raw: unknown, report: Report): InputDefinition[] => {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    report(['inputs'], `must be a list of inputs, got ${describe(raw)}`);
    return [];
  }
  const seen = new Set<string>();
  return raw.flatMap((item, index) => {
    const input = parseInput(item, ['inputs', index], report);
    if (!input) return [];
    if (seen.has(input.id)) report(['inputs', index, 'id'], `Duplicate input with name [${input.id}] (input ids are unique)`);
    seen.add(input.id);
    return [input];
  });
};

const parseType = (raw: JsonObject, key: string, at: Path, report: Report): InputType | undefined => {
  // Newer Kestra documents lower-case types too (`type: boolean`).
  const value = typeof raw[key] === 'string' ? (raw[key] as string).toUpperCase() : raw[key];
  const type = typeof value === 'string' && Object.hasOwn(TYPE_ALIASES, value) ? TYPE_ALIASES[value] : value;
  if (typeof type === 'string' && isInputType(type)) return type;
  report([...at, key], `unsupported input type ${describe(raw[key])}; supported: ${INPUT_TYPES.join(', ')}`);
  return undefined;
};

const parseInput = (raw: unknown, at: Path, report: Report): InputDefinition | undefined => {
  if (!isRecord(raw)) {
    report(at, `an input must be a mapping with id and type, got ${describe(raw)}`);
    return undefined;
  }
  let valid = true;
  const problem = (path: Path, message: string): void => {
    report(path, message);
    valid = false;
  };
  const idKey = raw.id !== undefined ? 'id' : 'name';
  const id = raw[idKey];
  if (id === undefined || id === null) problem(at, 'required property "id" is missing');
  else if (typeof id !== 'string' || !INPUT_ID_PATTERN.test(id) || id.endsWith('.') || id.includes('..')) {
    problem([...at, idKey], `must be an input id matching ${INPUT_ID_PATTERN.source}, got ${describe(id)}`);
  }
  if (raw.type === undefined || raw.type === null) {
    report(at, 'required property "type" is missing');
    return undefined;
  }
  const type = parseType(raw, 'type', at, report);
  if (!type) return undefined;
  for (const key of Object.keys(raw).filter((k) => !COMMON_KEYS.includes(k) && !TYPE_KEYS[type].includes(k))) {
    problem([...at, key], `unknown property "${key}" of an input of type ${type} (it takes ${[...COMMON_KEYS, ...TYPE_KEYS[type]].join(', ')})`);
  }

  const { required, description, displayName } = raw;
  if (required !== undefined && typeof required !== 'boolean') problem([...at, 'required'], `must be true or false, got ${describe(required)}`);
  if (description !== undefined && typeof description !== 'string') problem([...at, 'description'], `must be a string, got ${describe(description)}`);
  if (displayName !== undefined && !(typeof displayName === 'string' && displayName.length <= 64)) {
    problem([...at, 'displayName'], `must be a string of at most 64 characters, got ${describe(displayName)}`);
  }
  const dependsOn = parseDependsOn(raw.dependsOn, [...at, 'dependsOn'], problem);

  const shape = parseShape(raw, type, at, problem);
  const rules = parseRules(raw, type, at, problem);
  const extras = parseTypeExtras(raw, type, at, problem);
  const definition: InputDefinition = {
    id: id as string,
    type,
    required: false,
    ...(typeof description === 'string' ? { description } : {}),
    ...(typeof displayName === 'string' ? { displayName } : {}),
    ...(dependsOn !== undefined ? { dependsOn } : {}),
    ...(type === 'SECRET' ? { secret: true as const } : {}),
    ...shape,
    ...rules,
    ...extras,
  };

  let defaults: JsonValue | undefined;
  if (typeof raw.defaults === 'string' && raw.defaults.includes('{{') && valid) {
    // An expression: rendered when an execution is created, with the inputs before it (Kestra >= 0.22).
    defaults = raw.defaults;
  } else if (raw.defaults !== undefined && raw.defaults !== null && valid) {
    // Values computed by an expression are only known when an execution is created.
    const coerced = coerceInput(definition.expression !== undefined ? { ...definition, allowCustomValue: true } : definition, raw.defaults);
    if (!coerced.ok) problem([...at, 'defaults'], `invalid default: ${coerced.message}`);
    else {
      for (const message of ruleViolations(definition, coerced.value)) problem([...at, 'defaults'], `invalid default: ${message}`);
      defaults = coerced.value;
    }
  }
  if (!valid) return undefined;
  return {
    ...definition,
    ...(defaults !== undefined ? { defaults } : {}),
    // Kestra (Input.java): `required` defaults to true; a default then fills a missing value.
    required: typeof required === 'boolean' ? required : true,
  };
};

const parseShape = (raw: JsonObject, type: InputType, at: Path, problem: Problem): Pick<InputDefinition, 'values' | 'itemType'> => {
  let itemType: InputType | undefined;
  if (type === 'ARRAY' || type === 'MULTISELECT') {
    if (raw.itemType === undefined || raw.itemType === null) {
      // Kestra: ARRAY must say it; MULTISELECT items are STRING unless told otherwise.
      if (type === 'ARRAY') problem(at, 'required property "itemType" is missing (the type of the items)');
      else itemType = 'STRING';
    } else {
      itemType = parseType(raw, 'itemType', at, (path, message) => problem(path, message));
      if (itemType === 'ARRAY' || itemType === 'MULTISELECT') problem([...at, 'itemType'], `an ${type} cannot hold ${itemType}s`);
    }
  }
  const listKey = type === 'MULTISELECT' && raw.values === undefined && raw.options !== undefined ? 'options' : 'values';
  if (type === 'MULTISELECT' && raw.values !== undefined && raw.options !== undefined) problem([...at, 'options'], "you can't define both `values` and `options`");
  const wantsValues = type === 'ENUM' || type === 'SELECT' || type === 'MULTISELECT' || itemType === 'ENUM';
  if (!wantsValues) {
    if (raw.values !== undefined && type === 'ARRAY') problem([...at, 'values'], 'only an ARRAY of ENUM takes values');
    return itemType ? { itemType } : {};
  }
  const values = raw[listKey];
  // SELECT and MULTISELECT may compute their values with `expression` instead.
  if ((type === 'SELECT' || type === 'MULTISELECT') && (values === undefined || values === null) && typeof raw.expression === 'string') return itemType ? { itemType } : {};
  const ok = Array.isArray(values) && values.length > 0 && values.every((v) => ['string', 'number', 'boolean'].includes(typeof v));
  if (!ok) {
    const what = type === 'SELECT' || type === 'MULTISELECT' ? `a ${type} needs "values" (a non-empty list of the allowed values) or an "expression"` : 'an ENUM needs "values": a non-empty list of the allowed values';
    problem(values === undefined ? at : [...at, listKey], what);
    return itemType ? { itemType } : {};
  }
  return { values: (values as JsonValue[]).map(String), ...(itemType ? { itemType } : {}) };
};

const parseRules = (
  raw: JsonObject,
  type: InputType,
  at: Path,
  problem: Problem,
): Pick<InputDefinition, 'min' | 'max' | 'regex' | 'minLength' | 'maxLength'> => {
  const rules: { min?: number | string; max?: number | string; regex?: string; minLength?: number; maxLength?: number } = {};
  for (const side of ['min', 'max'] as const) {
    // Kestra's DATE, DATETIME and TIME bounds are `after` and `before` (inclusive, as min and max).
    const key = raw[side] === undefined && ['DATE', 'DATETIME', 'TIME'].includes(type) ? (side === 'min' ? 'after' : 'before') : side;
    const value = raw[key];
    if (value === undefined || value === null) continue;
    // Elsewhere: an unknown property of its type, reported once by parseInput.
    if (!BOUNDED_TYPES.includes(type)) continue;
    const bound = type === 'ARRAY' ? (Number.isSafeInteger(value) && (value as number) >= 0 ? { ok: true as const, value } : undefined) : coerceInput({ type }, value);
    if (!bound || !bound.ok) problem([...at, key], `must be ${type === 'ARRAY' ? 'a number of items' : `a ${type} bound`}, got ${describe(value)}`);
    else rules[side] = bound.value as number | string;
  }
  const regexKey = raw.regex !== undefined ? 'regex' : 'validator';
  const regex = raw[regexKey];
  if (regex !== undefined && regex !== null) {
    if (!PATTERN_TYPES.includes(type)) {
      // reported by parseInput as an unknown property
    } else if (typeof regex !== 'string') problem([...at, regexKey], `must be a regular expression, got ${describe(regex)}`);
    else {
      try {
        wholeMatch(regex);
        rules.regex = regex;
      } catch (error) {
        problem([...at, regexKey], (error as Error).message);
      }
    }
  }
  for (const key of ['minLength', 'maxLength'] as const) {
    const value = raw[key];
    if (value === undefined || value === null) continue;
    if (!LENGTH_TYPES.includes(type)) continue;
    if (!Number.isSafeInteger(value) || (value as number) < 0) problem([...at, key], `must be a number of characters, got ${describe(value)}`);
    else rules[key] = value as number;
  }
  return rules;
};
