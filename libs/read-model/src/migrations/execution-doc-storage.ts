/*
 * `executions.doc` is the whole folded execution (≈ 1.8 KB of JSON for a two-task run, more as
 * jsonb), so nearly every executions row passes Postgres's 2 KB TOAST threshold and Postgres
 * compresses `doc` on every insert and update: with pglz, the default, ≈ 9-14 µs of Postgres
 * CPU per row more than lz4 or no compression (bench/results/2026-12-07-rebuild-4.md, measured on
 * 22,223 rows of the bench's rebuild, with `bench/tools/toast-storage.ts`). So lz4 where the
 * server is built with it: the same size as pglz, for about a quarter less of the row's COPY
 * CPU (≈ 26 against ≈ 35 µs per row on Postgres 15), and reading the doc back no dearer.
 * Where it is not, the storage stays as it is: the other choices were measured and do not pay:
 * - `toast_tuple_target = 8160` (rows under a page stay uncompressed in the heap) saves as much
 *   CPU per row, but doubles the table (29 → 58 MB); a rebuild then writes, WAL-logs (SET LOGGED)
 *   and scans (index builds) twice the bytes, and measured no less Postgres CPU in four
 *   alternated runs; the live table's WAL per upsert doubles too;
 * - `STORAGE EXTERNAL` (no compression, out of line): less CPU saved, 2.4 × the size, and each
 *   doc read back through the TOAST index.
 * A plain function of what the server offers, so the choice is testable without such a server.
 */

/** What the Postgres server offers for TOAST compression. */
export interface ToastSupport {
  /** `ALTER COLUMN ... SET COMPRESSION` (Postgres 14+). */
  readonly columnCompression: boolean;
  /** The server was built with lz4. */
  readonly lz4: boolean;
}

/** The statements that set how `executions.doc` is stored on a server offering `support` (none: Postgres's default). */
export function executionDocStorageStatements(support: ToastSupport): string[] {
  return support.columnCompression && support.lz4 ? ['ALTER TABLE executions ALTER COLUMN doc SET COMPRESSION lz4'] : [];
}
