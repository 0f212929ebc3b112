import { createLogger, loadConfig } from '@chronicle/runtime';
import { createTestDatabase, testPostgresAdminUrl, type TestDatabase } from '@chronicle/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlatform, type Platform } from './platform.js';

// A standalone process died at a Postgres restart: a pooled connection checked out between two
// queries (no listener of the pool's then) emitted an unhandled 'error' when Postgres closed it.
// Here Postgres ends that session (as a restart does, FATAL 57P01) while the connection is out.

let db: TestDatabase;
let platform: Platform;
let admin: pg.Client;

beforeAll(async () => {
  db = await createTestDatabase('pg_restart');
  const config = loadConfig({ DATABASE_URL: db.url, HOST: '127.0.0.1' });
  platform = await createPlatform(config, db.url, createLogger('pg-restart-test', 'silent'));
  admin = new pg.Client({ connectionString: testPostgresAdminUrl() });
  await admin.connect();
});
afterAll(async () => {
  await admin?.end();
  await platform?.close();
  await db?.drop();
});

describe('the platform pool when Postgres ends a checked-out connection', () => {
  it('does not crash the process; the connection fails its next query and the pool serves a new one', async () => {
    const client = await platform.pool.connect();
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
    await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
    await ended;
    await expect(client.query('SELECT 1')).rejects.toThrow();
    client.release(true);
    expect((await platform.pool.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one).toBe(1);
  }, 60_000);
});
