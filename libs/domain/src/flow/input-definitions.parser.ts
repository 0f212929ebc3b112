import type { InputDefinition, InputType } from './flow.model.js';
import { INPUT_TYPES } from './flow.model.js';
import { describe, ID_PATTERN, isRecord, type Report } from './flow-parsing.helpers.js';
import { matchesInputType } from './input-types.js';
import type { Path } from './yaml-source.js';

const isInputType = (value: string): value is InputType => (INPUT_TYPES as readonly string[]).includes(value);

/** Parses `inputs:`; `name` is accepted for `id` as older Kestra flows use it. */
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

const parseInput = (raw: unknown, at: Path, report: Report): InputDefinition | undefined => {
  if (!isRecord(raw)) {
    report(at, `an input must be a mapping with id and type, got ${describe(raw)}`);
    return undefined;
  }
  const idKey = raw.id !== undefined ? 'id' : 'name';
  const id = raw[idKey];
  let valid = true;
  if (id === undefined || id === null) {
    report(at, 'required property "id" is missing');
    valid = false;
  } else if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
    report([...at, idKey], `must be an input id matching ${ID_PATTERN.source}, got ${describe(id)}`);
    valid = false;
  }
  const type = raw.type;
  if (type === undefined || type === null) {
    report(at, 'required property "type" is missing');
    return undefined;
  }
  if (typeof type !== 'string' || !isInputType(type)) {
    report([...at, 'type'], `unsupported input type ${describe(type)}; supported: ${INPUT_TYPES.join(', ')}`);
    return undefined;
  }
  const { defaults, required, description } = raw;
  if (defaults !== undefined && defaults !== null && !matchesInputType(type, defaults)) {
    report([...at, 'defaults'], `default must be a ${type}, got ${describe(defaults)}`);
    valid = false;
  }
  if (required !== undefined && typeof required !== 'boolean') {
    report([...at, 'required'], `must be true or false, got ${describe(required)}`);
    valid = false;
  }
  if (description !== undefined && typeof description !== 'string') {
    report([...at, 'description'], `must be a string, got ${describe(description)}`);
    valid = false;
  }
  if (!valid) return undefined;
  const hasDefault = defaults !== undefined && defaults !== null;
  return {
    id: id as string,
    type,
    ...(hasDefault ? { defaults } : {}),
    required: typeof required === 'boolean' ? required : !hasDefault,
    ...(typeof description === 'string' ? { description } : {}),
  };
};
