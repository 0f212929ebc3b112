import { instantOf, instantText, parseDateTimeParts, parseIsoDuration, parseTimeOfDay } from '../expression/iso-8601.js';
import { parse as parseYaml } from 'yaml';
import type { JsonValue } from '../shared/json.js';
import type { InputDefinition, InputType } from './flow.model.js';

export type Coercion = { readonly ok: true; readonly value: JsonValue } | { readonly ok: false; readonly message: string };

/** What a coercion needs to know of an input: its type, and the ENUM values or ARRAY item type. */
export type InputShape = Pick<InputDefinition, 'type' | 'values' | 'itemType' | 'allowCustomValue'> & { readonly required?: boolean };

/**
 * FILE inputs carry a reference, never the bytes: the application stores the upload and passes
 * `chronicle:///files/<id>` (Kestra flows may also pass their own `kestra:///<path>` references).
 * The domain only checks the reference's shape.
 */
export const FILE_REFERENCE = /^(chronicle:\/\/\/files\/[A-Za-z0-9._~-]+|kestra:\/\/\/\S+)$/;
/** Kestra's URI_PATTERN (core/src/main/java/io/kestra/core/runners/FlowInputOutput.java): scheme://host.tld/... */
const URI = /^[a-z]+:\/\/(?:www\.)?[-a-zA-Z0-9@:%._+~#=]{1,256}\.[a-zA-Z0-9()]{1,6}\b(?:[-a-zA-Z0-9()@:%_+.~#?&/=]*)$/;
/** Kestra's EmailInput.EMAIL_PATTERN (core/src/main/java/io/kestra/core/models/flows/input/EmailInput.java): no dot needed after the @. */
const EMAIL = /^$|^[a-zA-Z0-9_!#$%&’*+/=?`{|}~^.-]+@[a-zA-Z0-9.-]+$/;
const INTEGER_TEXT = /^[+-]?\d+$/;
const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** How each type is written, to tell a caller what to fix. */
export const hintOf = (input: InputShape): string => {
  switch (input.type) {
    case 'STRING': case 'SECRET': return 'text';
    case 'INT': return 'a whole number such as 42';
    case 'FLOAT': return 'a number such as 1.5';
    case 'BOOLEAN': return 'true or false';
    case 'DATETIME': return 'an ISO-8601 date-time with a zone, such as 2025-01-31T10:00:00Z';
    case 'DATE': return 'an ISO-8601 date such as 2025-01-31';
    case 'TIME': return 'a time such as 10:30 or 10:30:15';
    case 'DURATION': return 'an ISO-8601 duration such as PT30S, PT5M or P1DT2H';
    case 'JSON': return 'a JSON value or JSON text';
    case 'YAML': return 'a YAML document (or a structure)';
    case 'ENUM':
    case 'SELECT': return `one of ${(input.values ?? []).join(', ')}`;
    case 'MULTISELECT': return `a list of ${(input.values ?? []).join(', ')} (or its JSON text)`;
    case 'ARRAY': return `a list of ${input.itemType ?? 'STRING'} (or its JSON text)`;
    case 'URI': return 'an absolute URI such as https://example.com/data.csv';
    case 'EMAIL': return 'an e-mail address such as name@example.com';
    case 'FILE': return 'a file reference such as chronicle:///files/<id>';
  }
};

const shown = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? `object ${JSON.stringify(value)}` : `${typeof value} ${JSON.stringify(value)}`;

const fail = (input: InputShape, value: unknown): Coercion => ({
  ok: false,
  message: `expected ${input.type} (${hintOf(input)}), got ${shown(value)}`,
});

const ok = (value: JsonValue): Coercion => ({ ok: true, value });

const scalarText = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean' ? String(value) : undefined;

const parseJsonText = (text: string): { value: JsonValue } | undefined => {
  try {
    return { value: JSON.parse(text) as JsonValue };
  } catch {
    return undefined;
  }
};

const isJson = (value: unknown): value is JsonValue =>
  value === null || ['string', 'number', 'boolean'].includes(typeof value) || Array.isArray(value) || typeof value === 'object';

/**
 * Turns a caller's raw value into the input's type. Lenient where callers cannot help it (form
 * fields, query strings and multipart bodies are text): numbers and booleans from their text,
 * ARRAY and JSON from JSON text, DATETIME normalised to UTC (`2025-01-31T09:00:00.000Z`).
 */
export const coerceInput = (input: InputShape, value: unknown): Coercion => {
  const text = typeof value === 'string' ? value.trim() : undefined;
  switch (input.type) {
    case 'STRING':
    case 'SECRET': {
      const s = scalarText(value);
      return s === undefined ? fail(input, value) : ok(s);
    }
    case 'INT': {
      if (typeof value === 'number' && Number.isSafeInteger(value)) return ok(value);
      const parsed = text !== undefined && INTEGER_TEXT.test(text) ? Number(text) : Number.NaN;
      return Number.isSafeInteger(parsed) ? ok(parsed) : fail(input, value);
    }
    case 'FLOAT': {
      if (typeof value === 'number' && Number.isFinite(value)) return ok(value);
      const parsed = text !== undefined && DECIMAL_TEXT.test(text) ? Number(text) : Number.NaN;
      return Number.isFinite(parsed) ? ok(parsed) : fail(input, value);
    }
    case 'BOOLEAN': {
      if (typeof value === 'boolean') return ok(value);
      const lower = text?.toLowerCase();
      return lower === 'true' || lower === 'false' ? ok(lower === 'true') : fail(input, value);
    }
    case 'DATETIME': {
      const parts = text === undefined ? undefined : parseDateTimeParts(text);
      // Kestra's Instant: printed as Instant.toString, every digit of the fraction kept.
      const instant = parts && parts.hasTime ? instantText(parts) : undefined;
      return instant === undefined ? fail(input, value) : ok(instant);
    }
    case 'DATE': {
      const parts = text === undefined ? undefined : parseDateTimeParts(text);
      return parts && !parts.hasTime && !parts.zone ? ok(text!) : fail(input, value);
    }
    case 'TIME':
      return text !== undefined && parseTimeOfDay(text) !== undefined ? ok(text) : fail(input, value);
    case 'DURATION':
      return text !== undefined && parseIsoDuration(text) !== undefined ? ok(text.toUpperCase()) : fail(input, value);
    case 'JSON': {
      if (typeof value !== 'string') return isJson(value) && value !== null ? ok(value) : fail(input, value);
      const parsed = parseJsonText(value);
      return parsed ? ok(parsed.value) : { ok: false, message: `expected JSON (${hintOf(input)}), got text that is not valid JSON` };
    }
    case 'YAML': {
      if (typeof value !== 'string') return isJson(value) && value !== null ? ok(value) : fail(input, value);
      const parsed = parseYamlText(value);
      return parsed ? ok(parsed.value) : { ok: false, message: `expected YAML (${hintOf(input)}), got text that is not valid YAML` };
    }
    case 'ENUM':
    case 'SELECT': {
      // Kestra's SelectInput/EnumInput.validate: one of `values`, unless `allowCustomValue` (SELECT), and only
      // when the input is required (`!values.contains(input) && this.getRequired()`): an optional one takes any text.
      const s = scalarText(value);
      const free = input.allowCustomValue === true || input.required === false;
      return s !== undefined && (free || (input.values ?? []).includes(s)) ? ok(s) : fail(input, value);
    }
    case 'MULTISELECT':
      return coerceMultiselect(input, value);
    case 'ARRAY':
      return coerceArray(input, value);
    case 'URI':
      return text !== undefined && URI.test(text) ? ok(text) : fail(input, value);
    case 'EMAIL':
      return text !== undefined && EMAIL.test(text) ? ok(text) : fail(input, value);
    case 'FILE':
      return text !== undefined && FILE_REFERENCE.test(text) ? ok(text) : fail(input, value);
    default: {
      const exhaustive: never = input.type;
      return fail({ type: exhaustive }, value);
    }
  }
};

/** YAML text as data; undefined when it does not parse or holds what JSON cannot. */
const parseYamlText = (text: string): { value: JsonValue } | undefined => {
  try {
    const value = parseYaml(text, { maxAliasCount: 100 }) as unknown;
    return JSON.stringify(value) === undefined ? undefined : { value: JSON.parse(JSON.stringify(value)) as JsonValue };
  } catch {
    return undefined;
  }
};

/** Kestra's MultiselectInput: a list (or its JSON text) of `itemType` items, each one of `values` unless `allowCustomValue`. */
const coerceMultiselect = (input: InputShape, value: unknown): Coercion => {
  const items = coerceArray({ type: 'ARRAY', itemType: input.itemType ?? 'STRING' }, value);
  if (!items.ok || input.allowCustomValue === true) return items.ok ? items : { ok: false, message: `expected MULTISELECT (${hintOf(input)}): ${items.message}` };
  const outside = (items.value as JsonValue[]).filter((item) => !(input.values ?? []).includes(String(item)));
  return outside.length === 0 ? items : { ok: false, message: `${outside.map((v) => JSON.stringify(v)).join(', ')} must be one of ${(input.values ?? []).join(', ')}` };
};

const coerceArray = (input: InputShape, value: unknown): Coercion => {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? parseJsonText(value)?.value : undefined;
  if (!Array.isArray(items)) return fail(input, value);
  const itemShape: InputShape = { type: input.itemType ?? 'STRING', values: input.values };
  const coerced: JsonValue[] = [];
  const problems: string[] = [];
  items.forEach((item, index) => {
    const result = coerceInput(itemShape, item);
    if (result.ok) coerced.push(result.value);
    else problems.push(`item ${index}: ${result.message}`);
  });
  return problems.length === 0 ? ok(coerced) : { ok: false, message: problems.join(', ') };
};

/** The types whose `min`/`max` are ISO texts, with how to turn one into a comparable number. */
export const orderedValue = (type: InputType, value: JsonValue): number | undefined => {
  if (typeof value === 'number') return type === 'INT' || type === 'FLOAT' ? value : undefined;
  if (typeof value !== 'string') return undefined;
  switch (type) {
    case 'DURATION': return parseIsoDuration(value);
    case 'TIME': return parseTimeOfDay(value);
    case 'DATE':
    case 'DATETIME': {
      const parts = parseDateTimeParts(value);
      if (!parts) return undefined;
      return instantOf(parts) ?? Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second, parts.millisecond);
    }
    default: return undefined;
  }
};
