import dayjs from 'dayjs';
import type { InputDefinition, InputType } from '../api/types.js';

/** What the form widgets hold: text, numbers, booleans, lists of text. */
export type RawValue = string | number | boolean | string[] | null | undefined;
export type RawValues = Record<string, RawValue>;

// Kestra's URI_PATTERN, as the server checks it.
const URI = /^[a-z]+:\/\/(?:www\.)?[-a-zA-Z0-9@:%._+~#=]{1,256}\.[a-zA-Z0-9()]{1,6}\b(?:[-a-zA-Z0-9()@:%_+.~#?&/=]*)$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?$/;
const DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
const FILE_REFERENCE = /^(chronicle:\/\/\/files\/[A-Za-z0-9._~-]+|kestra:\/\/\/\S+)$/;
/** The widgets' own date-time text (local time). */
export const LOCAL_DATE_TIME = 'YYYY-MM-DD HH:mm:ss';

/** The form's starting values: the inputs' defaults, in the widgets' terms. */
export function initialValues(inputs: readonly InputDefinition[], given: Record<string, unknown> = {}): RawValues {
  const raw: RawValues = {};
  for (const input of inputs) {
    const value = given[input.id] ?? input.defaults;
    raw[input.id] = toRaw(input, value);
  }
  return raw;
}

function toRaw(input: InputDefinition, value: unknown): RawValue {
  if (input.type === 'BOOLEAN') return value === true || value === 'true';
  if (value === undefined || value === null) return input.type === 'ARRAY' || input.type === 'MULTISELECT' ? [] : '';
  switch (input.type) {
    case 'INT': case 'FLOAT': return typeof value === 'number' ? value : String(value);
    case 'DATETIME': return dayjs(String(value)).isValid() ? dayjs(String(value)).format(LOCAL_DATE_TIME) : String(value);
    case 'JSON': return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
    case 'ARRAY': case 'MULTISELECT': return Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))) : [String(value)];
    // JSON text is YAML too.
    case 'YAML': return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
    default: return typeof value === 'string' ? value : JSON.stringify(value);
  }
}

const isEmpty = (v: RawValue) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

type Checked = { value: unknown } | { error: string };

function checkBounds(input: InputDefinition, n: number, what = 'value'): string | undefined {
  if (typeof input.min === 'number' && n < input.min) return `the ${what} must be at least ${input.min}`;
  if (typeof input.max === 'number' && n > input.max) return `the ${what} must be at most ${input.max}`;
  return undefined;
}

function checkText(input: InputDefinition, s: string): string | undefined {
  if (input.minLength != null && s.length < input.minLength) return `at least ${input.minLength} characters`;
  if (input.maxLength != null && s.length > input.maxLength) return `at most ${input.maxLength} characters`;
  if (input.regex && !new RegExp(`^(?:${input.regex})$`).test(s)) return `must match ${input.regex}`;
  return undefined;
}

/** SELECT / MULTISELECT: values computed by the server (an expression) or custom values are not checked here. */
const oneOf = (input: InputDefinition, text: string): boolean =>
  input.allowCustomValue === true || input.expression != null || (input.values ?? []).includes(text);

function checkScalar(type: InputType, input: InputDefinition, raw: RawValue): Checked {
  const text = typeof raw === 'string' ? raw.trim() : String(raw);
  const fail = (error: string): Checked => ({ error });
  const text_ = (value: string, ok: boolean, hint: string): Checked => (ok ? (checkText(input, value) ? fail(checkText(input, value)!) : { value }) : fail(hint));
  switch (type) {
    case 'STRING': case 'SECRET': return text_(String(raw), true, '');
    case 'URI': return text_(text, URI.test(text), 'an absolute URI such as https://example.com/data.csv');
    case 'EMAIL': return text_(text, EMAIL.test(text), 'an e-mail address such as name@example.com');
    case 'INT': case 'FLOAT': {
      const n = typeof raw === 'number' ? raw : Number(text);
      if (!Number.isFinite(n) || text === '') return fail(type === 'INT' ? 'a whole number such as 42' : 'a number such as 1.5');
      if (type === 'INT' && !Number.isInteger(n)) return fail('a whole number such as 42');
      const bound = checkBounds(input, n);
      return bound ? fail(bound) : { value: n };
    }
    case 'BOOLEAN': return raw === true || raw === 'true' ? { value: true } : raw === false || raw === 'false' ? { value: false } : fail('true or false');
    case 'DATETIME': {
      const d = dayjs(text);
      return d.isValid() ? { value: d.toDate().toISOString() } : fail('a date and time');
    }
    case 'DATE': return DATE.test(text) ? { value: text } : fail('a date such as 2025-01-31');
    case 'TIME': return TIME.test(text) ? { value: text } : fail('a time such as 10:30 or 10:30:15');
    case 'DURATION': return DURATION.test(text) ? { value: text } : fail('an ISO-8601 duration such as PT30S, PT5M or P1DT2H');
    case 'ENUM': case 'SELECT': return oneOf(input, text) ? { value: text } : fail(`one of ${(input.values ?? []).join(', ')}`);
    // The server parses YAML; any text is sent as it is.
    case 'YAML': return { value: String(raw) };
    case 'FILE': return FILE_REFERENCE.test(text) ? { value: text } : fail('a file reference such as chronicle:///files/<id>');
    case 'JSON': try { return { value: JSON.parse(text) }; } catch { return fail('valid JSON'); }
    case 'ARRAY': case 'MULTISELECT': return fail('nested lists are not supported');
  }
}

/**
 * Checks every field as the server will (type, required, bounds, pattern) and answers the
 * inputs to send, or the message of each field that is wrong. Empty optional fields are left out,
 * so the server applies the flow's defaults.
 */
export function validateInputs(inputs: readonly InputDefinition[], raw: RawValues): { values: Record<string, unknown>; errors: Record<string, string> } {
  const values: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const input of inputs) {
    const value = raw[input.id];
    if (input.type !== 'BOOLEAN' && isEmpty(value)) {
      // An input with dependsOn may be left out by the server: it decides whether it is required.
      if (input.required && input.defaults == null && input.dependsOn == null) errors[input.id] = 'Required';
      continue;
    }
    if (input.type === 'ARRAY' || input.type === 'MULTISELECT') {
      const itemType = input.type === 'MULTISELECT' && input.itemType == null ? 'STRING' : (input.itemType ?? 'STRING');
      const items = (value as string[]).map((item) =>
        input.type === 'MULTISELECT' && !oneOf(input, item) ? { error: `one of ${(input.values ?? []).join(', ')}` } : checkScalar(itemType, input, item));
      const bad = items.findIndex((c) => 'error' in c);
      if (bad >= 0) errors[input.id] = `item ${bad + 1}: ${(items[bad] as { error: string }).error}`;
      else errors[input.id] = checkBounds(input, items.length, 'number of items') ?? '';
      if (!errors[input.id]) {
        delete errors[input.id];
        values[input.id] = items.map((c) => (c as { value: unknown }).value);
      }
      continue;
    }
    const checked = checkScalar(input.type, input, value);
    if ('error' in checked) errors[input.id] = checked.error;
    else values[input.id] = checked.value;
  }
  return { values, errors };
}

/** Labels typed as `key=value` (one per tag). */
export function parseLabels(tags: readonly string[]): { labels: Record<string, string>; error?: string } {
  const labels: Record<string, string> = {};
  for (const tag of tags) {
    const at = tag.indexOf('=');
    if (at <= 0) return { labels, error: `"${tag}" is not key=value` };
    labels[tag.slice(0, at).trim()] = tag.slice(at + 1).trim();
  }
  return { labels };
}
