import type pg from 'pg';

/**
 * Runs `work` in one transaction on a client of the pool: committed when it resolves, rolled back
 * when it throws (the error is rethrown), the client released either way. `begin` is the statement
 * that opens it (e.g. `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY` for a consistent read).
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
