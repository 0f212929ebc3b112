import { createTestDatabase, type TestDatabase } from '@chronicle/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresCheckpointStore, SAVE_CHECKPOINT_SQL } from './checkpoint-store.js';

let db: TestDatabase;
let pool: pg.Pool;
let store: PostgresCheckpointStore;

beforeAll(async () => {
  db = await createTestDatabase('checkpoint_store');
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  store = new PostgresCheckpointStore(pool);
  await store.ensureSchema();
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

describe('PostgresCheckpointStore', () => {
  it('moves a checkpoint forward, never back', async () => {
    expect(await store.load('relay-a')).toBeUndefined();
    await store.save('relay-a', 10n);
    await store.save('relay-a', 7n);
    expect(await store.load('relay-a')).toBe(10n);
    await store.save('relay-a', 12n);
    expect(await store.load('relay-a')).toBe(12n);
  });

  it('saves in a transaction that commits without waiting for the WAL flush (a lost save only re-sends)', async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      // The test server may run without synchronous commits altogether: the save must turn them off itself.
      await client.query('SET LOCAL synchronous_commit = on');
      await client.query(SAVE_CHECKPOINT_SQL, ['relay-b', '3']);
      const { rows } = await client.query<{ mode: string }>("SELECT current_setting('synchronous_commit') AS mode");
      expect(rows[0]!.mode).toBe('off');
      await client.query('ROLLBACK');
      // Only for that transaction: the connection's own setting is untouched.
      const after = await client.query<{ mode: string }>("SELECT current_setting('synchronous_commit') AS mode");
      expect(after.rows[0]!.mode).toBe((await pool.query<{ mode: string }>("SELECT current_setting('synchronous_commit') AS mode")).rows[0]!.mode);
    } finally {
      client.release();
    }
  });
});
