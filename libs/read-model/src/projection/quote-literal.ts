/**
 * A string as a Postgres literal, exactly as pg's `escapeLiteral` writes it (`'it''s'`; with a
 * backslash, ` E'a\\b'`, leading space included), for the live projection's one-message batches
 * (PendingStatements.message). pg builds its result one character at a time (`escaped += c`): on
 * the execution documents a batch inlines (kilobytes of JSON each) that was ≈ 150 KB of short-lived
 * strings per execution on the standalone's event loop, a fifth of all it allocated
 * (bench/results/2026-12-08-scpu.md). Two regular-expression passes give the same text without them.
 */
export function quoteLiteral(text: string): string {
  const quoted = `'${text.replace(QUOTE_OR_BACKSLASH, DOUBLED)}'`;
  return text.includes('\\') ? ` E${quoted}` : quoted;
}

const QUOTE_OR_BACKSLASH = /['\\]/g;
const DOUBLED = (c: string): string => c + c;
