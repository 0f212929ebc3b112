import pg from 'pg';
import { createLogger, loadConfig } from '@chronicle/runtime';
import { createTestDatabase, type TestDatabase } from '@chronicle/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlatform, MAIN_POOL_APPLICATION_NAME, MAIN_POOL_IDLE_TIMEOUT_MS, type Platform } from './platform.js';

// The bound on Postgres connections (CHRONICLE_PG_POOL_SIZE): each one is a backend with its own memory.
let db: TestDatabase;
let platform: Platform;
let observer: pg.Client;

beforeAll(async () => {
  db = await createTestDatabase('pool_bound');
  const config = loadConfig({ DATABASE_URL: db.url, CHRONICLE_PG_POOL_SIZE: '3' });
  platform = await createPlatform(config, db.url, createLogger('pool-bound-test', 'silent'));
  observer = new pg.Client({ connectionString: db.url });
  await observer.connect();
});
afterAll(async () => {
  await observer?.end();
  await platform?.close();
  await db?.drop();
});

const backendsOfMainPool = async (): Promise<number> =>
  Number((await observer.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1', [MAIN_POOL_APPLICATION_NAME])).rows[0]!.n);

describe('the main Postgres pool (real Postgres)', () => {
  it('opens at most CHRONICLE_PG_POOL_SIZE backends: past them a query waits for a connection to be released', async () => {
    const held = await Promise.all([platform.pool.connect(), platform.pool.connect(), platform.pool.connect()]);
    try {
      // A fourth query while all three are held: queued by the pool, no fourth backend.
      const waiting = platform.pool.query<{ one: number }>('SELECT 1 AS one');
      expect(platform.pool.waitingCount).toBe(1);
      expect(platform.pool.totalCount).toBe(3);
      expect(await backendsOfMainPool()).toBe(3);
      held.pop()!.release();
      expect((await waiting).rows).toEqual([{ one: 1 }]);
    } finally {
      for (const client of held) client.release();
    }
    expect(platform.pool.totalCount).toBeLessThanOrEqual(3);
  });

  it('keeps an idle connection open for a minute, so periodic jobs and a low rate reuse it instead of opening a backend each time', async () => {
    expect(MAIN_POOL_IDLE_TIMEOUT_MS).toBe(60_000);
    expect((platform.pool.options as pg.PoolConfig).idleTimeoutMillis).toBe(MAIN_POOL_IDLE_TIMEOUT_MS);
    await platform.pool.query('SELECT 1');
    // Released, not closed: the next query takes the same backend.
    const before = await platform.pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const again = await platform.pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    expect(platform.pool.idleCount).toBeGreaterThanOrEqual(1);
    expect(again.rows[0]!.pid).toBe(before.rows[0]!.pid);
  });
});
