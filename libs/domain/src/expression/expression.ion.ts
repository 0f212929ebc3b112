import type { JsonObject, JsonValue } from '../shared/json.js';
import { EvaluationFailure } from './expression.error.js';

/**
 * Amazon Ion text, as Kestra's `toIon` filter writes it (Jackson's Ion mapper) and `fromIon`
 * reads it, for JSON values: `{int:1,float:1.123e0,string:"x"}`. Floats carry an exponent,
 * field names are symbols (quoted when not identifiers). Reading accepts Ion's text forms that
 * map to JSON: typed nulls, ints (with `_`, hex, binary), floats, decimals (`1.5d0`), timestamps
 * (kept as their text), strings (`"..."`, `'''...'''`), symbols, lists, s-expressions, structs,
 * annotations (dropped) and comments.
 */
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** Ion timestamps (`2024-04-21T23:00:00.000Z`, `2024-04-21`, `2024T`), kept as their text. */
const TIMESTAMP = /^\d{4}(?:T|-\d{2}(?:T|-\d{2}(?:T(?:\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?)?))(?![\w:.])/;
const RESERVED = new Set(['null', 'true', 'false', 'nan']);

const symbol = (name: string): string =>
  IDENTIFIER.test(name) && !RESERVED.has(name) ? name : `'${name.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;

const float = (n: number): string => {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'nan' : n > 0 ? '+inf' : '-inf';
  const text = String(n);
  return /e/.test(text) ? text.replace('e+', 'e') : `${text}e0`;
};

export const toIonText = (value: JsonValue): string => {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : float(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(toIonText).join(',')}]`;
  return `{${Object.entries(value).map(([k, v]) => `${symbol(k)}:${toIonText(v)}`).join(',')}}`;
};

export const fromIonText = (text: string): JsonValue => {
  const reader = new IonReader(text);
  const value = reader.value();
  reader.end();
  return value;
};

class IonReader {
  private i = 0;
  constructor(private readonly s: string) {}

  private fail(reason: string): never {
    throw new EvaluationFailure(`Invalid ion: ${reason} at character ${this.i + 1}`);
  }

  private skip(): void {
    for (;;) {
      const rest = this.s.slice(this.i);
      const m = /^(\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/)/.exec(rest);
      if (!m) return;
      this.i += m[0].length;
    }
  }

  end(): void {
    this.skip();
    if (this.i < this.s.length) this.fail('unexpected text after the value');
  }

  value(): JsonValue {
    this.skip();
    // Annotations `a::b::value` are dropped.
    for (;;) {
      const m = /^('(?:[^'\\]|\\.)*'|[A-Za-z_$][\w$]*)\s*::/.exec(this.s.slice(this.i));
      if (!m) break;
      this.i += m[0].length;
      this.skip();
    }
    const c = this.s[this.i];
    if (c === undefined) this.fail('a value is expected');
    if (c === '{') return this.struct();
    if (c === '[') return this.sequence('[', ']', ',');
    if (c === '(') return this.sequence('(', ')', '');
    if (c === '"') return this.shortString();
    if (this.s.startsWith("'''", this.i)) return this.longStrings();
    if (c === "'") return this.quotedSymbol();
    return this.atom();
  }

  private struct(): JsonObject {
    this.i++;
    const out: Record<string, JsonValue> = {};
    for (let first = true; ; first = false) {
      this.skip();
      if (this.s[this.i] === '}') {
        this.i++;
        return out;
      }
      if (!first) {
        if (this.s[this.i] !== ',') this.fail('"," or "}" expected in a struct');
        this.i++;
        this.skip();
        if (this.s[this.i] === '}') continue;
      }
      const c = this.s[this.i];
      const name = c === '"' ? this.shortString() : this.s.startsWith("'''", this.i) ? this.longStrings() : c === "'" ? this.quotedSymbol() : this.identifier();
      this.skip();
      if (this.s[this.i] !== ':') this.fail('":" expected after a field name');
      this.i++;
      Object.defineProperty(out, name, { value: this.value(), enumerable: true, writable: true, configurable: true });
    }
  }

  private sequence(open: string, close: string, separator: string): JsonValue[] {
    this.i++;
    const out: JsonValue[] = [];
    for (;;) {
      this.skip();
      if (this.s[this.i] === close) {
        this.i++;
        return out;
      }
      if (out.length > 0 && separator !== '') {
        if (this.s[this.i] !== separator) this.fail(`"${separator}" or "${close}" expected`);
        this.i++;
        this.skip();
        if (this.s[this.i] === close) continue;
      }
      if (this.i >= this.s.length) this.fail(`"${close}" expected after "${open}"`);
      // Inside an s-expression, operator symbols (`+`, `<=`...) are values; `-1` is still a number.
      const operator = open === '(' && /^(?!-\d|\+inf)[!#%&*+\-./;<=>?@^`|~]/.test(this.s.slice(this.i));
      out.push(operator ? this.operator() : this.value());
    }
  }

  private operator(): string {
    const m = /^[!#%&*+\-./;<=>?@^`|~]+/.exec(this.s.slice(this.i));
    if (!m) this.fail('unexpected character');
    this.i += m[0].length;
    return m[0];
  }

  private identifier(): string {
    const m = /^[A-Za-z_$][\w$]*/.exec(this.s.slice(this.i));
    if (!m) this.fail('a field name is expected');
    this.i += m[0].length;
    return m[0];
  }

  private quoted(quote: string): string {
    const start = this.i;
    this.i += quote.length;
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined) this.fail('unterminated text');
      if (c === '\\') this.i += 2;
      else if (this.s.startsWith(quote, this.i)) break;
      else this.i++;
    }
    const body = this.s.slice(start + quote.length, this.i);
    this.i += quote.length;
    return unescape(body, () => this.fail('invalid escape in text'));
  }

  private shortString(): string {
    return this.quoted('"');
  }

  private quotedSymbol(): string {
    return this.quoted("'");
  }

  /** Adjacent `'''...'''` parts are one string. */
  private longStrings(): string {
    let out = '';
    do {
      out += this.quoted("'''");
      this.skip();
    } while (this.s.startsWith("'''", this.i));
    return out;
  }

  private atom(): JsonValue {
    const timestamp = TIMESTAMP.exec(this.s.slice(this.i));
    if (timestamp) {
      this.i += timestamp[0].length;
      return timestamp[0];
    }
    const m = /^[^\s,:{}[\]()"']+/.exec(this.s.slice(this.i));
    if (!m) this.fail('a value is expected');
    const token = m[0];
    this.i += token.length;
    if (/^null(\.\w+)?$/.test(token)) return null;
    if (token === 'true' || token === 'false') return token === 'true';
    if (token === 'nan' || token === '+inf' || token === '-inf') this.fail(`${token} has no JSON equivalent`);
    if (/^-?0[xX][0-9a-fA-F_]+$/.test(token)) return Number.parseInt(token.replaceAll('_', ''), 16);
    if (/^-?0[bB][01_]+$/.test(token)) return (token.startsWith('-') ? -1 : 1) * Number.parseInt(token.replace(/^-?0[bB]/, '').replaceAll('_', ''), 2);
    if (/^-?\d[\d_]*$/.test(token)) return Number(token.replaceAll('_', ''));
    if (/^-?\d[\d_]*(\.[\d_]*)?([eE][+-]?\d+)$/.test(token)) return Number(token.replaceAll('_', ''));
    if (/^-?\d[\d_]*(\.[\d_]*)?([dD][+-]?\d+)?$/.test(token)) return Number(token.replaceAll('_', '').replace(/[dD]/, 'e'));
    if (IDENTIFIER.test(token)) return token;
    this.fail(`unexpected "${token}"`);
  }
}

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v', '"': '"', "'": "'", '\\': '\\', '/': '/', '?': '?' };

const unescape = (body: string, fail: () => never): string =>
  body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|\r?\n|.)/g, (_, e: string) => {
    if (/^[xuU]/.test(e)) return String.fromCodePoint(Number.parseInt(e.slice(1), 16));
    if (e === '\n' || e === '\r\n') return '';
    const plain = ESCAPES[e];
    return plain ?? fail();
  });
