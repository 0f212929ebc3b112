import type { JsonObject, JsonValue } from '../shared/json.js';
import type { InputDefinition, InputType } from './flow.model.js';
import { INPUT_TYPES } from './flow.model.js';
import { describe, ID_PATTERN, isRecord, type Report } from './flow-parsing.helpers.js';
import { BOUNDED_TYPES, LENGTH_TYPES, PATTERN_TYPES, ruleViolations, wholeMatch } from './input-rules.js';
import { coerceInput } from './input-types.js';
import type { Path } from './yaml-source.js';

const isInputType = (value: string): value is InputType => (INPUT_TYPES as readonly string[]).includes(value);

/** Kestra's later name for ENUM. */
const TYPE_ALIASES: Readonly<Record<string, InputType>> = { SELECT: 'ENUM' };

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
    if (seen.has(input.id)) report(['inputs', index, 'id'], `duplicate input id "${input.id}"`);
    seen.add(input.id);
    return [input];
  });
};

const parseType = (raw: JsonObject, key: string, at: Path, report: Report): InputType | undefined => {
  const value = raw[key];
  const type = typeof value === 'string' && Object.hasOwn(TYPE_ALIASES, value) ? TYPE_ALIASES[value] : value;
  if (typeof type === 'string' && isInputType(type)) return type;
  report([...at, key], `unsupported input type ${describe(value)}; supported: ${INPUT_TYPES.join(', ')}`);
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
  else if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
    problem([...at, idKey], `must be an input id matching ${ID_PATTERN.source}, got ${describe(id)}`);
  }
  if (raw.type === undefined || raw.type === null) {
    report(at, 'required property "type" is missing');
    return undefined;
  }
  const type = parseType(raw, 'type', at, report);
  if (!type) return undefined;

  const { required, description } = raw;
  if (required !== undefined && typeof required !== 'boolean') problem([...at, 'required'], `must be true or false, got ${describe(required)}`);
  if (description !== undefined && typeof description !== 'string') problem([...at, 'description'], `must be a string, got ${describe(description)}`);

  const shape = parseShape(raw, type, at, problem);
  const rules = parseRules(raw, type, at, problem);
  const definition: InputDefinition = {
    id: id as string,
    type,
    required: false,
    ...(typeof description === 'string' ? { description } : {}),
    ...(type === 'SECRET' ? { secret: true as const } : {}),
    ...shape,
    ...rules,
  };

  let defaults: JsonValue | undefined;
  if (raw.defaults !== undefined && raw.defaults !== null && valid) {
    const coerced = coerceInput(definition, raw.defaults);
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
    // Kestra: an input is required unless it says otherwise or has a default.
    required: typeof required === 'boolean' ? required : defaults === undefined,
  };
};

type Problem = (path: Path, message: string) => void;

const parseShape = (raw: JsonObject, type: InputType, at: Path, problem: Problem): Pick<InputDefinition, 'values' | 'itemType'> => {
  let itemType: InputType | undefined;
  if (type === 'ARRAY') {
    if (raw.itemType === undefined || raw.itemType === null) problem(at, 'required property "itemType" is missing (the type of the items)');
    else {
      itemType = parseType(raw, 'itemType', at, (path, message) => problem(path, message));
      if (itemType === 'ARRAY') problem([...at, 'itemType'], 'an ARRAY cannot hold ARRAYs');
    }
  } else if (raw.itemType !== undefined) problem([...at, 'itemType'], 'only ARRAY inputs take itemType');
  const wantsValues = type === 'ENUM' || itemType === 'ENUM';
  if (!wantsValues) {
    if (raw.values !== undefined) problem([...at, 'values'], 'only ENUM inputs (or ARRAY of ENUM) take values');
    return itemType ? { itemType } : {};
  }
  const values = raw.values;
  const ok = Array.isArray(values) && values.length > 0 && values.every((v) => ['string', 'number', 'boolean'].includes(typeof v));
  if (!ok) {
    problem(values === undefined ? at : [...at, 'values'], 'an ENUM needs "values": a non-empty list of the allowed values');
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
    const value = raw[side];
    if (value === undefined || value === null) continue;
    if (!BOUNDED_TYPES.includes(type)) {
      problem([...at, side], `${side} applies to ${BOUNDED_TYPES.join(', ')} inputs, not ${type}`);
      continue;
    }
    const bound = type === 'ARRAY' ? (Number.isSafeInteger(value) && (value as number) >= 0 ? { ok: true as const, value } : undefined) : coerceInput({ type }, value);
    if (!bound || !bound.ok) problem([...at, side], `must be ${type === 'ARRAY' ? 'a number of items' : `a ${type} bound`}, got ${describe(value)}`);
    else rules[side] = bound.value as number | string;
  }
  const regexKey = raw.regex !== undefined ? 'regex' : 'validator';
  const regex = raw[regexKey];
  if (regex !== undefined && regex !== null) {
    if (!PATTERN_TYPES.includes(type)) problem([...at, regexKey], `${regexKey} applies to ${PATTERN_TYPES.join(', ')} inputs, not ${type}`);
    else if (typeof regex !== 'string') problem([...at, regexKey], `must be a regular expression, got ${describe(regex)}`);
    else {
      try {
        wholeMatch(regex);
        rules.regex = regex;
      } catch (error) {
        problem([...at, regexKey], `invalid regular expression: ${(error as Error).message}`);
      }
    }
  }
  for (const key of ['minLength', 'maxLength'] as const) {
    const value = raw[key];
    if (value === undefined || value === null) continue;
    if (!LENGTH_TYPES.includes(type)) problem([...at, key], `${key} applies to ${LENGTH_TYPES.join(', ')} inputs, not ${type}`);
    else if (!Number.isSafeInteger(value) || (value as number) < 0) problem([...at, key], `must be a number of characters, got ${describe(value)}`);
    else rules[key] = value as number;
  }
  return rules;
};
