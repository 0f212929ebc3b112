import type pg from 'pg';

/**
 * Runs `CREATE ... IF NOT EXISTS` statements in one transaction under an advisory lock: two
 * replicas starting at once would otherwise race on Postgres's catalog (a duplicate key on
 * pg_type) and one of them would fail to start.
 */
export async function ensureSchemaLocked(pool: pg.Pool, name: string, statements: readonly string[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`chronicle-schema:${name}`]);
    for (const statement of statements) await client.query(statement);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
