import { createLogger } from '@chronicle/runtime';
import { TriggerStateStore } from '@chronicle/stores';
import { createTestDatabase, type TestDatabase } from '@chronicle/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TriggerStateCache } from './trigger-state-cache.js';

let db: TestDatabase;
// Two pools: the cache's process and another one that changes trigger states.
let mine: pg.Pool;
let theirs: pg.Pool;
let states: TriggerStateStore;
let other: TriggerStateStore;
const logger = createLogger('trigger-state-cache-test', 'silent');

/** Polls `condition` until it holds (the NOTIFY and the reload are asynchronous). */
async function eventually(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  db = await createTestDatabase('trigger_state_cache');
  mine = new pg.Pool({ connectionString: db.url });
  theirs = new pg.Pool({ connectionString: db.url });
  states = new TriggerStateStore(mine);
  other = new TriggerStateStore(theirs);
  await states.ensureSchema();
});
afterAll(async () => {
  await mine?.end();
  await theirs?.end();
  await db?.drop();
});

describe('TriggerStateCache (real Postgres, LISTEN/NOTIFY)', () => {
  it('answers from the store until it listens (its first question starts the listening)', async () => {
    const cache = new TriggerStateCache(states, logger);
    const key = { namespace: 'ns', flowId: 'before', triggerId: 't' };
    await other.setEnabled(key, false);
    try {
      expect(await cache.isDisabled(key)).toBe(true);
      expect(await cache.isDisabled({ ...key, triggerId: 'never-changed' })).toBe(false);
    } finally {
      await cache.stop();
    }
  });

  it('tells its subscribers when another process disables or enables a trigger, and answers the new flag', async () => {
    const cache = new TriggerStateCache(states, logger);
    let told = 0;
    cache.subscribe(() => told++);
    await cache.start();
    try {
      const key = { namespace: 'ns', flowId: 'changed', triggerId: 't' };
      const before = told;
      await other.setEnabled(key, false);
      await eventually(() => told > before, 'the subscriber to be told of the disable');
      await eventually(() => cache.isDisabled(key), 'the trigger to read as disabled');
      const again = told;
      await other.setEnabled(key, true);
      await eventually(() => told > again, 'the subscriber to be told of the enable');
      await eventually(async () => !(await cache.isDisabled(key)), 'the trigger to read as enabled');
    } finally {
      await cache.stop();
    }
  });

  it('listens again after its connection is lost, tells its subscribers, and sees the changes made after', async () => {
    const cache = new TriggerStateCache(states, logger, 100);
    let told = 0;
    cache.subscribe(() => told++);
    await cache.start();
    try {
      const key = { namespace: 'ns', flowId: 'lost', triggerId: 't' };
      // Postgres ends the session that LISTENs (as a restart would).
      await eventually(async () => {
        const ended = await theirs.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %' AND pid <> pg_backend_pid()`);
        return (ended.rowCount ?? 0) > 0;
      }, 'the LISTEN session to be found and ended');
      const before = told;
      await other.setEnabled(key, false);
      await eventually(() => told > before, 'the subscriber to be told after listening again');
      await eventually(() => cache.isDisabled(key), 'the change to be seen');
    } finally {
      await cache.stop();
    }
  });
});
