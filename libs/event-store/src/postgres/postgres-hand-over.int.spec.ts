import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@chronicle/testing';
import { ANY, NO_STREAM, type RecordedEvent } from '../index.js';
import { PostgresEventStore } from './postgres-event-store.js';

/*
 * A store hands its own appends to its subscriptions instead of their reading them back
 * (OwnAppends, CatchUpSubscription.offer): what they get must be what a read gives, and other
 * processes' appends must still reach them, each exactly once and in order.
 */

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase('event_store_hand_over');
  const store = new PostgresEventStore({ connectionString: database.url });
  await store.ensureSchema();
  await store.close();
});

afterAll(async () => {
  await database?.drop();
});

const event = (type: string, data: unknown = {}, metadata: Record<string, unknown> = { schemaVersion: 1, occurredAt: '2024-01-01T00:00:00.000Z' }) => ({
  id: randomUUID(),
  type,
  data,
  metadata: metadata as { schemaVersion: number; occurredAt: string },
});

/** A real pool whose tail reads (a subscription's read of the log) are counted. */
function countingPool() {
  const pool = new pg.Pool({ connectionString: database.url, max: 6 });
  const counts = { tailReads: 0 };
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  (pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].includes('SELECT max(position) AS head')) counts.tailReads++;
    return query(...args);
  };
  return { pool, counts };
}

/** The events as JSON, keys in their order (toEqual would not see a difference of key order). */
const asText = (events: readonly RecordedEvent[]) => JSON.stringify(events, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

/** Data whose jsonb form differs from what was sent: key order, integer-like keys, UTF-8 order, numbers, dropped values. */
function awkwardData(i: number): unknown {
  return {
    zeta: i,
    b: 1,
    a: { z: [{ y: 1, x: 2 }, 'é', null], aa: true },
    10: 'ten',
    2: 'two',
    '\ue000x': 'private use, sorts before the emoji in UTF-8 and after it in UTF-16',
    '😀': 'emoji',
    é: 'e acute',
    negativeZero: -0,
    big: 1e21,
    small: 1.5e-7,
    fraction: 0.1 + 0.2,
    when: new Date('2024-05-06T07:08:09.123Z'),
    dropped: undefined,
    inArray: [undefined, 1],
    ...JSON.parse('{"__proto__": {"polluted": true}}'),
  };
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('PostgresEventStore: its own appends handed to its subscriptions', () => {
  it('delivers its own appends without reading them back, exactly as a read of the log gives them', async () => {
    const { pool, counts } = countingPool();
    const store = new PostgresEventStore({ pool, handOverOwnAppends: true });
    const id = randomUUID();
    const all: RecordedEvent[] = [];
    const flows: RecordedEvent[] = [];
    try {
      const after = await store.headPosition();
      const everything = store.subscribeToAll({ after }, async (batch) => void all.push(...batch));
      const flowsOnly = store.subscribeToAll({ after, filter: { streamPrefixes: [`flow-${id}`] }, batchSize: 2 }, async (batch) => void flows.push(...batch));
      await Promise.all([everything.caughtUp, flowsOnly.caughtUp]);
      // The start-up reads (LISTEN ready and the listener's first connection each wake) are over:
      // no read for 200 ms.
      await until(async () => {
        const before = counts.tailReads;
        await new Promise((resolve) => setTimeout(resolve, 200));
        return counts.tailReads === before;
      });
      const readsAtStart = counts.tailReads;
      // One at a time, several streams at once, and many callers at once (coalesced into fewer calls).
      for (let i = 0; i < 10; i++) await store.append(`execution-${id}-${i}`, [event('ExecutionCreated', awkwardData(i), { schemaVersion: 1, occurredAt: 'x', b: 1, a: { d: 1, c: 2 } })], NO_STREAM);
      await store.appendMany([
        { streamId: `execution-${id}-x`, events: [event('ExecutionCreated', awkwardData(99)), event('ExecutionStarted', null)], expectedRevision: NO_STREAM },
        { streamId: `flow-${id}`, events: [event('FlowRevisionDeployed', 'text'), event('FlowEnabled', [3, 2, 1]), event('FlowDisabled', 7)], expectedRevision: NO_STREAM },
      ]);
      await Promise.all(Array.from({ length: 20 }, (_, i) => store.append(`execution-${id}-c${i}`, [event('ExecutionCreated', awkwardData(i)), event('ExecutionStarted', { i })], NO_STREAM)));
      await store.append(`flow-${id}`, [event('FlowDeleted', { last: true })], 2n);
      await until(() => all.length === 10 + 5 + 40 + 1 && flows.length === 4);
      expect(counts.tailReads - readsAtStart).toBe(0);
      const read = await store.readAll({ after });
      expect(asText(all)).toBe(asText(read));
      expect(asText(flows)).toBe(asText(read.filter((e) => e.streamId === `flow-${id}`)));
      // The handed events are not the caller's objects (a handler cannot change what a caller holds, nor the reverse).
      expect(Object.getPrototypeOf(all[0]!.data)).toBe(Object.prototype);
    } finally {
      await store.close();
      await pool.end();
    }
  });

  it('hands nothing over unless asked to (distributed services): its subscriptions read its appends back, its notices name no writer', async () => {
    const { pool, counts } = countingPool();
    const store = new PostgresEventStore({ pool });
    const listener = new pg.Client({ connectionString: database.url });
    const notices: string[] = [];
    const id = randomUUID();
    const all: RecordedEvent[] = [];
    try {
      await listener.connect();
      listener.on('notification', (n) => void notices.push(n.payload ?? ''));
      await listener.query('LISTEN chronicle_events');
      const after = await store.headPosition();
      const everything = store.subscribeToAll({ after }, async (batch) => void all.push(...batch));
      await everything.caughtUp;
      // The start-up reads are over (no read for 200 ms), as in the first test.
      await until(async () => {
        const before = counts.tailReads;
        await new Promise((resolve) => setTimeout(resolve, 200));
        return counts.tailReads === before;
      });
      const readsAtStart = counts.tailReads;
      for (let i = 0; i < 5; i++) await store.append(`execution-${id}-${i}`, [event('ExecutionCreated', { i })], NO_STREAM);
      await until(() => all.length === 5 && notices.length >= 5);
      expect(counts.tailReads - readsAtStart).toBeGreaterThan(0);
      expect(asText(all)).toBe(asText(await store.readAll({ after })));
      for (const n of notices) expect(JSON.parse(n)).not.toHaveProperty('w');
    } finally {
      await listener.end();
      await store.close();
      await pool.end();
    }
  });

  it('delivers another store\'s append between two of its own: read, in order', async () => {
    const store = new PostgresEventStore({ connectionString: database.url, handOverOwnAppends: true });
    const other = new PostgresEventStore({ connectionString: database.url });
    const id = randomUUID();
    const seen: RecordedEvent[] = [];
    try {
      const after = await store.headPosition();
      const subscription = store.subscribeToAll({ after, filter: { streamPrefixes: [`gap-${id}`] } }, async (batch) => void seen.push(...batch));
      await subscription.caughtUp;
      await store.append(`gap-${id}-a`, [event('Own')], NO_STREAM);
      await other.append(`gap-${id}-b`, [event('Other')], NO_STREAM);
      await store.append(`gap-${id}-a`, [event('OwnAgain')], 0n);
      await until(() => seen.length === 3);
      expect(seen.map((e) => e.type)).toEqual(['Own', 'Other', 'OwnAgain']);
    } finally {
      await Promise.all([store.close(), other.close()]);
    }
  });

  it('two stores appending concurrently: a subscriber of one sees every event exactly once, in order', async () => {
    const stores = [new PostgresEventStore({ connectionString: database.url, poolSize: 6, handOverOwnAppends: true }), new PostgresEventStore({ connectionString: database.url, poolSize: 6, handOverOwnAppends: true })];
    const prefix = `two-${randomUUID()}-`;
    const seen: RecordedEvent[] = [];
    const filtered: RecordedEvent[] = [];
    try {
      const after = await stores[0]!.headPosition();
      const subscription = stores[0]!.subscribeToAll({ after, batchSize: 7 }, async (batch) => {
        seen.push(...batch);
        // A slow handler: hand-overs and notices pile up while it works.
        if (seen.length % 5 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      });
      const odd = stores[0]!.subscribeToAll({ after, filter: { streamPrefixes: [`${prefix}1`, `${prefix}3`] } }, async (batch) => void filtered.push(...batch));
      await Promise.all([subscription.caughtUp, odd.caughtUp]);
      await Promise.all(
        Array.from({ length: 40 }, async (_, w) => {
          const store = stores[w % 2]!;
          for (let i = 0; i < 8; i++) {
            if (i % 3 === 2) {
              await store.appendMany([
                { streamId: `${prefix}${w}`, events: [event('E', { w, i }), event('E', { w, i, second: true })], expectedRevision: ANY },
                { streamId: `${prefix}${w}-side`, events: [event('S', { w, i })], expectedRevision: ANY },
              ]);
            } else {
              await store.append(`${prefix}${w}`, [event('E', { w, i })], ANY);
            }
          }
        }),
      );
      const total = 40 * (6 * 1 + 2 * 3); // six single appends, two of three events
      await until(() => seen.length >= total);
      await new Promise((resolve) => setTimeout(resolve, 200)); // nothing more may come
      const log = await stores[1]!.readAll({ after });
      expect(log).toHaveLength(total);
      expect(seen).toEqual(log);
      expect(asText(seen)).toBe(asText(log));
      expect(filtered).toEqual(log.filter((e) => e.streamId.startsWith(`${prefix}1`) || e.streamId.startsWith(`${prefix}3`)));
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });
});
