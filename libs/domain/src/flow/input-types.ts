import type { JsonValue } from '../shared/json.js';
import type { InputType } from './flow.model.js';

export type Coercion = { readonly ok: true; readonly value: JsonValue } | { readonly ok: false; readonly message: string };

const INTEGER_TEXT = /^[+-]?\d+$/;

const fail = (type: InputType, value: unknown): Coercion => ({
  ok: false,
  message: `expected ${type}, got ${value === null ? 'null' : Array.isArray(value) ? 'a list' : `${typeof value} ${JSON.stringify(value)}`}`,
});

/**
 * Turns a caller's raw value into the input's type. Lenient where callers cannot help it
 * (form fields and query strings are text): INT from integer numbers or integer strings,
 * BOOLEAN from booleans or "true"/"false", STRING from any scalar.
 */
export const coerceInput = (type: InputType, value: unknown): Coercion => {
  switch (type) {
    case 'STRING':
      if (typeof value === 'string') return { ok: true, value };
      if (typeof value === 'number' && Number.isFinite(value)) return { ok: true, value: String(value) };
      if (typeof value === 'boolean') return { ok: true, value: String(value) };
      return fail(type, value);
    case 'INT': {
      if (typeof value === 'number' && Number.isSafeInteger(value)) return { ok: true, value };
      if (typeof value === 'string' && INTEGER_TEXT.test(value.trim())) {
        const parsed = Number(value.trim());
        if (Number.isSafeInteger(parsed)) return { ok: true, value: parsed };
      }
      return fail(type, value);
    }
    case 'BOOLEAN': {
      if (typeof value === 'boolean') return { ok: true, value };
      const text = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
      if (text === 'true' || text === 'false') return { ok: true, value: text === 'true' };
      return fail(type, value);
    }
    default: {
      const exhaustive: never = type;
      return fail(exhaustive, value);
    }
  }
};

/** Defaults are written by the flow's author, so they must already have the declared type. */
export const matchesInputType = (type: InputType, value: JsonValue): boolean => {
  switch (type) {
    case 'STRING':
      return typeof value === 'string';
    case 'INT':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'BOOLEAN':
      return typeof value === 'boolean';
    default: {
      const exhaustive: never = type;
      return exhaustive;
    }
  }
};
