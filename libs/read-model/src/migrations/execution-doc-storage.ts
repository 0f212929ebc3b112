/*
 * `executions.doc` is the whole folded execution (≈ 2.2 KB for a two-task run), so nearly every
 * executions row passes Postgres's 2 KB TOAST threshold, and by default Postgres then compresses
 * `doc` with pglz on every insert and update: ≈ 35-50 µs of Postgres CPU per row, the largest
 * single item of a projection rebuild's Postgres time, and paid by the live projector on every
 * upsert too (bench/results/2026-12-07-rebuild-4.md). So:
 * - lz4 when the server is built with it (a fraction of pglz's CPU for about the same size);
 * - otherwise no compression: `toast_tuple_target` at its largest keeps rows up to a page
 *   (≈ 8 KB) whole and uncompressed in the heap (larger ones are still compressed and moved out
 *   as before). Cheaper than `STORAGE EXTERNAL`, which also skips compression but still writes
 *   each doc out of line into the TOAST table and its index (and reads it back from there).
 * A plain function of what the server offers, so the choice is testable without a server.
 */

/** What the Postgres server offers for TOAST compression. */
export interface ToastSupport {
  /** `ALTER COLUMN ... SET COMPRESSION` (Postgres 14+). */
  readonly columnCompression: boolean;
  /** The server was built with lz4. */
  readonly lz4: boolean;
}

/** The largest `toast_tuple_target` Postgres takes with 8 KB pages: below it, a row is never compressed. */
export const UNCOMPRESSED_TOAST_TUPLE_TARGET = 8160;

/** The statements that set how `executions.doc` is stored on a server offering `support`. */
export function executionDocStorageStatements(support: ToastSupport): string[] {
  if (support.columnCompression && support.lz4) return ['ALTER TABLE executions ALTER COLUMN doc SET COMPRESSION lz4'];
  return [`ALTER TABLE executions SET (toast_tuple_target = ${UNCOMPRESSED_TOAST_TUPLE_TARGET})`];
}
