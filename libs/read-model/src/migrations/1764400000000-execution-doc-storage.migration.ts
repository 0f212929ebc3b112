import type { MigrationInterface, QueryRunner } from 'typeorm';
import { executionDocStorageStatements, type ToastSupport } from './execution-doc-storage.js';

/**
 * How `executions.doc` is stored (see `execution-doc-storage.ts` for why and the measurements):
 * compressed with lz4 when the server is built with it, else as before (pglz). Applies to rows
 * written from now on; a projection rebuild rewrites them all. The rebuild's shadow tables are
 * made by these same migrations, and the swap moves the tables with their settings.
 */
export class ExecutionDocStorage1764400000000 implements MigrationInterface {
  name = 'ExecutionDocStorage1764400000000';

  async up(q: QueryRunner): Promise<void> {
    for (const statement of executionDocStorageStatements(await toastSupport(q))) await q.query(statement);
  }

  async down(q: QueryRunner): Promise<void> {
    if ((await toastSupport(q)).columnCompression) await q.query('ALTER TABLE executions ALTER COLUMN doc SET COMPRESSION default');
  }
}

/** What this server offers: per-column compression (Postgres 14+) and lz4 (a build option). */
async function toastSupport(q: QueryRunner): Promise<ToastSupport> {
  const rows: { enumvals: string[] | null }[] = await q.query(`SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'`);
  return { columnCompression: rows.length > 0, lz4: rows[0]?.enumvals?.includes('lz4') ?? false };
}
