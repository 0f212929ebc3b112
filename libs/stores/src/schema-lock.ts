import type pg from 'pg';
import { applySchemaOnce } from '@chronicle/event-store/postgres';

/**
 * Runs `CREATE ... IF NOT EXISTS` statements once per version of them, in one transaction
 * under an advisory lock (two replicas starting at once would otherwise race on Postgres's
 * catalog). When the database already has this version, it takes no lock at all: a replica
 * restarting next to live traffic must not lock the tables that traffic writes (see
 * `applySchemaOnce`).
 */
export async function ensureSchemaLocked(pool: pg.Pool, name: string, statements: readonly string[]): Promise<void> {
  await applySchemaOnce(pool, name, statements);
}
