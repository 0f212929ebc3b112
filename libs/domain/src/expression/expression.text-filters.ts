import { md5, sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { JsonValue } from '../shared/json.js';
import { EvaluationFailure } from './expression.error.js';
import type { Filter } from './expression.callables.js';
import { isPlainObject, toText, typeOf, type Value } from './expression.values.js';

/** Text filters of Kestra's Extension.java and Pebble's CoreExtension; a null input stays null unless said otherwise. */

/** Kestra's Slugify.of: whitespace to "-", accents and anything but word characters and "-" dropped, "_" to "-". */
export const slugify = (input: string): string => {
  let slug = input.replace(/\s/g, '-').normalize('NFD').replace(/[^\w-]/g, '').replaceAll('_', '-');
  while (slug.includes('--')) slug = slug.replaceAll('--', '-');
  return slug.replace(/^-/, '').replace(/-$/, '').toLowerCase();
};

const textOf = (name: string, input: Value): string => {
  if (input === undefined || (typeof input === 'object' && input !== null)) {
    throw new EvaluationFailure(`filter "${name}" expects text, got ${typeOf(input)}`);
  }
  return toText(input);
};

const wholeNumber = (name: string, arg: string, value: Value): number => {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new EvaluationFailure(`filter "${name}" expects a whole number as argument '${arg}', got ${typeOf(value)}`);
  }
  return value;
};

/** Kestra's AbstractIndent: the line separator is the first kind found in the text ("\r\n", "\n\r", "\n", "\r"). */
const lineSeparator = (text: string): string =>
  text.includes('\r\n') ? '\r\n' : text.includes('\n\r') ? '\n\r' : text.includes('\n') ? '\n' : text.includes('\r') ? '\r' : '\n';

const indent = (name: 'indent' | 'nindent'): Filter => ({
  params: ['amount', 'prefix'],
  apply: (input, { amount, prefix }) => {
    if (input === null) return null;
    const text = typeof input === 'string' ? input : toText(input);
    if (text === '') return '';
    if (amount === undefined) throw new EvaluationFailure(`The '${name}' filter expects an integer as argument 'amount'.`);
    const count = wholeNumber(name, 'amount', amount);
    if (count < 0) throw new EvaluationFailure(`The '${name}' filter expects a positive integer >=0 as argument 'amount'.`);
    const pad = (prefix === undefined ? ' ' : textOf(name, prefix)).repeat(count);
    const newLine = lineSeparator(text);
    return (name === 'nindent' ? newLine + text : text).replaceAll(newLine, newLine + pad);
  },
});

/** Kestra's EscapeCharFilter: escapes quotes for single-quoted, double-quoted or shell text, in maps and lists too. */
const ESCAPES: Readonly<Record<string, [string, string]>> = { single: ["'", "\\'"], double: ['"', '\\"'], shell: ["'", "'\\''"] };
const escapeChar: Filter = {
  params: ['type'],
  apply: (input, { type }) => {
    if (input === null) return null;
    if (type === undefined) throw new EvaluationFailure("The 'escapeChar' filter expects an argument 'type'.");
    const pair = typeof type === 'string' ? ESCAPES[type.toLowerCase()] : undefined;
    if (!pair) throw new EvaluationFailure("The 'escapeChar' filter expects the value of 'type' to be either 'single', 'double', or 'shell'.");
    const deep = (value: JsonValue): JsonValue =>
      Array.isArray(value) ? value.map(deep)
        : isPlainObject(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deep(v)]))
          : toText(value).replaceAll(pair[0], pair[1]);
    return deep(input as JsonValue);
  },
};

/** Java's URLEncoder (form encoding): space is "+", only letters, digits and ".-*_" stay as they are. */
const urlencode = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replaceAll('%20', '+');

const urldecode = (text: string): string => {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    throw new EvaluationFailure(`filter "urldecode": "${text}" is not URL-encoded text`);
  }
};

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export const base64encode = (bytes: Uint8Array): string => {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const [a, b, c] = [bytes[i]!, bytes[i + 1], bytes[i + 2]];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + (b === undefined ? '=' : B64[(n >> 6) & 63]!) + (c === undefined ? '=' : B64[n & 63]!);
  }
  return out;
};

export const base64decode = (text: string): Uint8Array => {
  const clean = text.replace(/=+$/, '');
  if (/[^A-Za-z0-9+/]/.test(clean) || clean.length % 4 === 1) throw new EvaluationFailure(`filter "base64decode": "${text}" is not base64`);
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const c of clean) {
    buffer = (buffer << 6) | B64.indexOf(c);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  return Uint8Array.from(bytes);
};

/** UTF-8 bytes to text, through percent-decoding (the domain has no TextDecoder). */
export const utf8Text = (bytes: Uint8Array): string => {
  try {
    return decodeURIComponent(Array.from(bytes, (b) => `%${b.toString(16).padStart(2, '0')}`).join(''));
  } catch {
    throw new EvaluationFailure('the decoded bytes are not UTF-8 text');
  }
};

const hash = (name: string, digest: (bytes: Uint8Array) => Uint8Array): Filter => ({
  apply: (input) => {
    if (input === null) return null;
    if (typeof input !== 'string') throw new EvaluationFailure(`filter "${name}" needs a string to hash, got ${typeOf(input)}`);
    return bytesToHex(digest(utf8ToBytes(input)));
  },
});

/** Pebble's AbbreviateFilter: at most `length` characters, the last three being "..." when cut. */
const abbreviate: Filter = {
  params: ['length'],
  apply: (input, { length }) => {
    if (input === null) return null;
    const text = textOf('abbreviate', input);
    const max = wholeNumber('abbreviate', 'length', length);
    if (max < 0) throw new EvaluationFailure('Invalid argument to abbreviate filter; must be greater than zero');
    if (text.length < max || text.length <= 3) return text;
    return max <= 3 ? text.slice(0, max) : `${text.slice(0, max - 3)}...`;
  },
};

export const TEXT_FILTERS: Readonly<Record<string, Filter>> = {
  slugify: { apply: (input) => (input === null ? null : slugify(toText(input))) },
  indent: indent('indent'),
  nindent: indent('nindent'),
  escapeChar,
  urlencode: { apply: (input) => (input === null ? null : urlencode(textOf('urlencode', input))) },
  urldecode: { apply: (input) => (input === null ? null : urldecode(textOf('urldecode', input))) },
  base64encode: { apply: (input) => (input === null ? null : base64encode(utf8ToBytes(textOf('base64encode', input)))) },
  base64decode: { apply: (input) => (input === null ? null : utf8Text(base64decode(textOf('base64decode', input)))) },
  md5: hash('md5', md5),
  sha1: hash('sha1', sha1),
  sha256: hash('sha256', sha256),
  sha512: hash('sha512', sha512),
  abbreviate,
  /** Pebble's Nl2brFilter: a line break becomes "<br />" followed by the line break. */
  nl2br: { apply: (input) => (input === null ? null : textOf('nl2br', input).replace(/\r\n|\n|\r/g, (nl) => `<br />${nl}`)) },
};
