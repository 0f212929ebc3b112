/*
 * Rows in PostgreSQL's COPY text format (tab-separated columns, `\N` for NULL, backslash escapes),
 * built from the same row objects the projection's `jsonb_to_recordset` writes take, so that both
 * store the same values: a JSON null or an absent key is SQL NULL, a jsonb column is the value's
 * JSON, a text or scalar column its string (a number's or boolean's text, as PostgreSQL reads it
 * from JSON). A structured value in a scalar column would read differently (PostgreSQL prints it
 * with its own spacing): `NotCopyableError` then, and the caller writes that row the usual way.
 */

/** How a column's value is written: `json` for jsonb columns, `scalar` for text, numbers and timestamps. */
export type CopyColumnKind = 'json' | 'scalar';

export interface CopyColumn {
  /** The key in the row object. */
  readonly key: string;
  /** The table's column name. */
  readonly column: string;
  readonly kind: CopyColumnKind;
}

export class NotCopyableError extends Error {
  constructor(readonly column: string) {
    super(`column ${column} holds a structured value: written with the usual upsert, not COPY`);
  }
}

const NULL = '\\N';
const NEEDS_ESCAPE = /[\\\n\r\t]/;
const ESCAPED = /[\\\n\r\t]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** A text value escaped for COPY's text format. */
export function escapeCopyText(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(ESCAPED, (c) => ESCAPES[c]!) : text;
}

/** JSON.stringify never emits raw tabs or line breaks (they are escaped inside strings): only backslashes double. */
function jsonField(value: unknown): string {
  if (value === null || value === undefined) return NULL;
  const json = JSON.stringify(value);
  if (json === undefined) return NULL;
  return json.includes('\\') ? json.replace(/\\/g, '\\\\') : json;
}

function scalarField(value: unknown, column: string): string {
  if (value === null || value === undefined) return NULL;
  switch (typeof value) {
    case 'string':
      return escapeCopyText(value);
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(value);
    default:
      throw new NotCopyableError(column);
  }
}

/** One row as a line of COPY text (with its newline). */
export function copyLine(columns: readonly CopyColumn[], row: Readonly<Record<string, unknown>>): string {
  let line = '';
  for (let i = 0; i < columns.length; i++) {
    const { key, column, kind } = columns[i]!;
    const value = row[key];
    line += (i === 0 ? '' : '\t') + (kind === 'json' ? jsonField(value) : scalarField(value, column));
  }
  return line + '\n';
}

/** `COPY table (a, b, ...) FROM STDIN`, columns quoted. */
export function copyStatement(table: string, columns: readonly CopyColumn[]): string {
  return `COPY ${table} (${columns.map((c) => `"${c.column}"`).join(', ')}) FROM STDIN`;
}
