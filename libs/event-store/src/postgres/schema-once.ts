import { createHash } from 'node:crypto';
import type pg from 'pg';

/** Which version (digest of the statements) of each named schema this database has. */
const VERSIONS_TABLE = 'chronicle_schema_versions';
const RETRYABLE = new Set(['40P01', '40001', '55P03']); // deadlock, serialization failure, lock not available

/**
 * Brings a named schema up to date with `CREATE ... IF NOT EXISTS` statements, without taking
 * a lock that conflicts with live traffic when nothing changed.
 *
 * Even an idempotent DDL statement locks its table: `CREATE INDEX IF NOT EXISTS` takes a SHARE
 * lock (blocks inserts) and `ALTER TABLE ... ADD COLUMN IF NOT EXISTS` an ACCESS EXCLUSIVE one
 * before it finds there is nothing to do. A replica restarting next to live appends then
 * deadlocked with them. So a start-up first reads the digest recorded by the last migration (a
 * plain read of one row) and looks the created relations up by name, and runs the statements only
 * when the digest differs or a relation is missing: on a fresh database, after an upgrade, or
 * after someone dropped a table. That run is serialised across processes by an advisory lock,
 * and retried when Postgres picks it as a deadlock victim.
 */
export async function applySchemaOnce(pool: pg.Pool, name: string, statements: readonly string[]): Promise<void> {
  const digest = createHash('sha256').update(statements.join('\n;\n')).digest('hex');
  if ((await recordedDigest(pool, name)) === digest && (await allExist(pool, createdRelations(statements)))) return;
  for (let attempt = 1; ; attempt++) {
    try {
      return await migrate(pool, name, statements, digest);
    } catch (error) {
      if (attempt >= 5 || !RETRYABLE.has((error as { code?: string }).code ?? '')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt + Math.random() * 100));
    }
  }
}

/** Tables, indexes and sequences the statements create (a dropped one must be created again). */
function createdRelations(statements: readonly string[]): string[] {
  const pattern = /CREATE\s+(?:UNIQUE\s+)?(?:TABLE|INDEX|SEQUENCE)\s+IF\s+NOT\s+EXISTS\s+([a-zA-Z_][\w.]*)/gi;
  return statements.flatMap((statement) => [...statement.matchAll(pattern)].map((match) => match[1]!));
}

/** A catalog lookup by name (`to_regclass`), which locks none of the relations. */
async function allExist(pool: pg.Pool, relations: readonly string[]): Promise<boolean> {
  if (relations.length === 0) return true;
  const { rows } = await pool.query<{ missing: number }>('SELECT count(*) FILTER (WHERE to_regclass(r) IS NULL)::int AS missing FROM unnest($1::text[]) AS r', [relations]);
  return rows[0]!.missing === 0;
}

async function recordedDigest(pool: pg.Pool, name: string): Promise<string | undefined> {
  try {
    const { rows } = await pool.query<{ digest: string }>(`SELECT digest FROM ${VERSIONS_TABLE} WHERE name = $1`, [name]);
    return rows[0]?.digest;
  } catch (error) {
    if ((error as { code?: string }).code === '42P01') return undefined; // no versions table yet
    throw error;
  }
}

async function migrate(pool: pg.Pool, name: string, statements: readonly string[], digest: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // One lock for every schema: they share the versions table, and migrations are rare.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['chronicle-schema']);
    await client.query(`CREATE TABLE IF NOT EXISTS ${VERSIONS_TABLE} (name text PRIMARY KEY, digest text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    // Idempotent statements: running them again after another process did is harmless.
    for (const statement of statements) await client.query(statement);
    await client.query(
      `INSERT INTO ${VERSIONS_TABLE} (name, digest) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET digest = EXCLUDED.digest, applied_at = now()`,
      [name, digest],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
