import { createLogger } from '@chronicle/runtime';
import { createTestDatabase, type TestDatabase } from '@chronicle/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LeaderLock } from './leader-lock.js';

let db: TestDatabase;
let admin: pg.Pool;
const logger = createLogger('leader-lock-test', 'silent');

beforeAll(async () => {
  db = await createTestDatabase('leader_lock');
  admin = new pg.Pool({ connectionString: db.url });
});
afterAll(async () => {
  await admin.end();
  await db.drop();
});

function candidate(name: string) {
  const events: string[] = [];
  const lock = new LeaderLock(db.url, name, logger, {
    lead: async () => void events.push('lead'),
    resign: async () => void events.push('resign'),
  }, { retryDelayMs: 100 });
  return { lock, events };
}

describe('LeaderLock', () => {
  it('lets one replica lead; a graceful stop resigns and hands over to the waiting one at once', async () => {
    const a = candidate('lock-handover');
    const b = candidate('lock-handover');
    a.lock.start();
    await vi.waitFor(() => expect(a.lock.isLeader).toBe(true));
    b.lock.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(b.lock.isLeader).toBe(false);

    await a.lock.stop();
    expect(a.events).toEqual(['lead', 'resign']);
    await vi.waitFor(() => expect(b.lock.isLeader).toBe(true), { timeout: 2000 });
    await b.lock.stop();
    expect(b.events).toEqual(['lead', 'resign']);
  });

  it('when its Postgres session is killed, resigns and leads again once Postgres answers, instead of giving up', async () => {
    const a = candidate('lock-lost');
    a.lock.start();
    await vi.waitFor(() => expect(a.lock.isLeader).toBe(true));
    // What a Postgres restart does to the session that holds the lock.
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'chronicle-leader:lock-lost'`);
    await vi.waitFor(() => expect(a.events).toEqual(['lead', 'resign', 'lead']), { timeout: 5000 });
    expect(a.lock.isLeader).toBe(true);
    await a.lock.stop();
  });

  it('a replica still waiting for the lock stops at once', async () => {
    const a = candidate('lock-waiting');
    const b = candidate('lock-waiting');
    a.lock.start();
    await vi.waitFor(() => expect(a.lock.isLeader).toBe(true));
    b.lock.start();
    await new Promise((r) => setTimeout(r, 200));
    await b.lock.stop();
    expect(b.events).toEqual([]);
    await a.lock.stop();
  });
});
