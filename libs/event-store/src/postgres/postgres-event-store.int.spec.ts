import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@chronicle/testing';
import { eventStoreConformance } from '../test-support/event-store-conformance.js';
import { ANY, canReadRaw, DuplicateEventIdError, NO_STREAM, parseRawEvent, WrongExpectedVersionError, type RecordedEvent } from '../index.js';
import { PostgresEventStore } from './postgres-event-store.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase('event_store');
  const store = new PostgresEventStore({ connectionString: database.url });
  await store.ensureSchema();
  await store.close();
});

afterAll(async () => {
  await database?.drop();
});

eventStoreConformance('postgres', async () => {
  const store = new PostgresEventStore({ connectionString: database.url, poolSize: 20 });
  return { store, teardown: () => store.close() };
});

const event = (type: string, data: unknown = {}) => ({
  id: randomUUID(),
  type,
  data,
  metadata: { schemaVersion: 1, occurredAt: '2024-01-01T00:00:00.000Z' },
});

describe('PostgresEventStore', () => {
  it('creates its schema idempotently, even from several stores at once, and starts with no head', async () => {
    const fresh = await createTestDatabase('event_store_schema');
    const stores = Array.from({ length: 3 }, () => new PostgresEventStore({ connectionString: fresh.url }));
    try {
      await Promise.all(stores.map((s) => s.ensureSchema()));
      await stores[0].migrate();
      expect(await stores[0].headPosition()).toBeUndefined();
      expect(await stores[0].readAll()).toEqual([]);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      await fresh.drop();
    }
  });

  it('checks its schema at start-up without waiting for a lock that live appends hold', async () => {
    // A restarted executor used to deadlock with live appends: the idempotent DDL still locked
    // `events` and `streams`. Here a live transaction holds what an append holds.
    const store = new PostgresEventStore({ connectionString: database.url });
    const live = new pg.Client({ connectionString: database.url });
    await live.connect();
    try {
      await live.query('BEGIN');
      await live.query('LOCK TABLE streams, events IN ROW EXCLUSIVE MODE');
      const outcome = await Promise.race([
        store.ensureSchema().then(() => 'done'),
        new Promise((resolve) => setTimeout(() => resolve('blocked by the live transaction'), 10_000)),
      ]);
      expect(outcome).toBe('done');
    } finally {
      await live.query('ROLLBACK').catch(() => undefined);
      await live.end();
      await store.close();
    }
  });

  it('rejects an event id that is already stored, writing nothing', async () => {
    const store = new PostgresEventStore({ connectionString: database.url });
    try {
      const first = event('A');
      const stream = `dup-${randomUUID()}`;
      await store.append(`${stream}-1`, [first], NO_STREAM);
      const error = await store.append(`${stream}-2`, [event('B'), first], NO_STREAM).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DuplicateEventIdError);
      expect(error).toMatchObject({ eventId: first.id });
      expect(await store.readStream(`${stream}-2`)).toEqual([]);
      expect(await store.streamRevision(`${stream}-2`)).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('reads the log raw: the same events, filtered and paged alike, their data and metadata as JSON text', async () => {
    const store = new PostgresEventStore({ connectionString: database.url });
    try {
      expect(canReadRaw(store)).toBe(true);
      const prefix = `raw-${randomUUID()}-`;
      const data = { text: 'tab\tline\nquote" back\\slash é', n: 1.5, nested: [null, true, { deep: 'x' }] };
      await store.appendMany([
        { streamId: `${prefix}a`, expectedRevision: NO_STREAM, events: [event('A', data), event('B')] },
        { streamId: `other-${randomUUID()}`, expectedRevision: NO_STREAM, events: [event('C')] },
        { streamId: `${prefix}b`, expectedRevision: NO_STREAM, events: [event('D', [1, 'two'])] },
      ]);
      const options = { filter: { streamPrefixes: [prefix] }, maxCount: 2 };
      const raw = await store.readAllRaw(options);
      expect(raw.map((e) => typeof e.dataJson)).toEqual(['string', 'string']);
      expect(raw.map(parseRawEvent)).toEqual(await store.readAll(options));
      expect(JSON.parse(raw[0]!.dataJson)).toEqual(data);
      const after = { ...options, after: raw[1]!.position };
      expect((await store.readAllRaw(after)).map(parseRawEvent)).toEqual(await store.readAll(after));
      // recorded_at, printed by Postgres for the raw read and made ISO here: the milliseconds cut as the
      // Date parse cuts them (never rounded up to the next second), none or fewer digits padded, in UTC.
      const admin = new pg.Client({ connectionString: database.url });
      await admin.connect();
      try {
        for (const [stamp, iso] of [
          ['2026-12-31 23:59:59.999999+00', '2026-12-31T23:59:59.999Z'],
          ['2026-03-01 00:00:00+05:30', '2026-02-28T18:30:00.000Z'],
          ['2026-03-01 00:00:00.5-01:00', '2026-03-01T01:00:00.500Z'],
          ['2026-07-04 12:00:00.0405+00', '2026-07-04T12:00:00.040Z'],
        ] as const) {
          await admin.query(`UPDATE events SET recorded_at = $2::timestamptz WHERE stream_id = $1 AND revision = 0`, [`${prefix}a`, stamp]);
          const [stamped] = await store.readAllRaw(options);
          expect(stamped!.recordedAt).toBe(iso);
          expect(parseRawEvent(stamped!)).toEqual((await store.readAll(options))[0]);
        }
      } finally {
        await admin.end();
      }
    } finally {
      await store.close();
    }
  });

  it('works on a pool the caller owns and leaves it open', async () => {
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    const store = new PostgresEventStore({ pool });
    const stream = `pool-${randomUUID()}`;
    await store.append(stream, [event('A')], NO_STREAM);
    await store.close();
    const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM events WHERE stream_id = $1', [stream]);
    expect(rows[0].n).toBe('1');
    await pool.end();
  });

  it('shares one LISTEN connection between all subscriptions of a store', async () => {
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    const store = new PostgresEventStore({ connectionString: database.url });
    try {
      const head = await store.headPosition();
      const subscriptions = Array.from({ length: 4 }, () => store.subscribeToAll({ after: head }, async () => undefined));
      await Promise.all(subscriptions.map((s) => s.caughtUp));
      // A listener of an earlier test's closed store may take a moment to leave pg_stat_activity.
      await until(async () => (await listenerPids(admin)).length === 1);
      expect(await listenerPids(admin)).toHaveLength(1);
    } finally {
      await store.close();
      await admin.end();
    }
  });

  it('reconnects a dropped LISTEN connection and delivers what was committed meanwhile', async () => {
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    const store = new PostgresEventStore({ connectionString: database.url, listenRetryDelayMs: { first: 200, max: 200 } });
    const writer = new PostgresEventStore({ connectionString: database.url });
    const prefix = `reconnect-${randomUUID()}-`;
    const received: RecordedEvent[] = [];
    try {
      const subscription = store.subscribeToAll({ filter: { streamPrefixes: [prefix] } }, async (batch) => {
        received.push(...batch);
      });
      await subscription.caughtUp;
      await until(async () => (await listenerPids(admin)).length === 1);
      const [pid] = await listenerPids(admin);
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      // Committed while the listener is down (it waits 200 ms before reconnecting).
      await writer.append(`${prefix}a`, [event('WhileDown')], NO_STREAM);
      await until(() => received.length === 1);
      await until(async () => (await listenerPids(admin)).length === 1);
      await writer.append(`${prefix}a`, [event('AfterReconnect')], ANY);
      await until(() => received.length === 2);
      expect(received.map((e) => e.type)).toEqual(['WhileDown', 'AfterReconnect']);
    } finally {
      await Promise.all([store.close(), writer.close()]);
      await admin.end();
    }
  });

  it('notifies each append with its last position, its stream categories and its event types', async () => {
    const listener = new pg.Client({ connectionString: database.url });
    await listener.connect();
    const store = new PostgresEventStore({ connectionString: database.url });
    const payloads: string[] = [];
    try {
      listener.on('notification', (message) => payloads.push(message.payload ?? ''));
      await listener.query('LISTEN chronicle_events');
      const id = randomUUID();
      const [, last] = await store.appendMany([
        { streamId: `execution-${id}`, events: [event('ExecutionCreated'), event('ExecutionStarted')], expectedRevision: NO_STREAM },
        { streamId: `flow-ns.${id}`, events: [event('FlowRevisionDeployed'), event('ExecutionCreated')], expectedRevision: NO_STREAM },
      ]);
      await until(() => payloads.length > 0);
      const notice = JSON.parse(payloads[0]!) as { p: string; s: string[]; t: string[] };
      expect({ p: notice.p, s: [...notice.s].sort(), t: [...notice.t].sort() }).toEqual({
        p: last!.position.toString(), s: ['execution-', 'flow-'], t: ['ExecutionCreated', 'ExecutionStarted', 'FlowRevisionDeployed'],
      });
      // Types that would not fit a NOTIFY: the bare position, and every subscription reads.
      const many = Array.from({ length: 200 }, (_, i) => event(`AVeryLongEventTypeNameThatTakesRoomInTheNotice${i}`));
      const [big] = await store.appendMany([{ streamId: `big-${id}`, events: many, expectedRevision: NO_STREAM }]);
      await until(() => payloads.length > 1);
      expect(payloads[1]).toBe(big!.position.toString());
    } finally {
      await store.close();
      await listener.end();
    }
  });

  it('reads the log for a subscription only when an append may hold an event it wants, and misses none', async () => {
    // The store's reads counted on the caller's pool (the real Postgres answers them).
    const pool = new pg.Pool({ connectionString: database.url, max: 4 });
    let tailReads = 0;
    const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
    (pool as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].includes('SELECT max(position) AS head')) tailReads++;
      return query(...args);
    };
    const store = new PostgresEventStore({ pool });
    const id = randomUUID();
    const flows: RecordedEvent[] = [];
    const executions: RecordedEvent[] = [];
    try {
      const after = await store.headPosition();
      const flowSubscription = store.subscribeToAll({ after, filter: { streamPrefixes: [`flow-${id}`] } }, async (batch) => void flows.push(...batch));
      await flowSubscription.caughtUp;
      const readsAtStart = tailReads;
      for (let i = 0; i < 20; i++) await store.append(`execution-${id}-${i}`, [event('ExecutionCreated')], NO_STREAM);
      // One append holds both kinds: the flow subscription wants it.
      await store.appendMany([
        { streamId: `execution-${id}-x`, events: [event('ExecutionCreated')], expectedRevision: NO_STREAM },
        { streamId: `flow-${id}`, events: [event('FlowRevisionDeployed')], expectedRevision: NO_STREAM },
      ]);
      await until(() => flows.length === 1);
      // The twenty appends of executions alone woke it without a read; the mixed one made it read
      // (a second read only if the listener had to reconnect meanwhile, which wakes everyone).
      expect(tailReads - readsAtStart).toBeGreaterThanOrEqual(1);
      expect(tailReads - readsAtStart).toBeLessThan(3);
      // A subscription that wants the executions gets every one of them, the skipped wakes' included.
      const executionSubscription = store.subscribeToAll({ after, filter: { streamPrefixes: [`execution-${id}`], eventTypes: ['ExecutionCreated'] } }, async (batch) => void executions.push(...batch));
      await executionSubscription.caughtUp;
      await store.append(`execution-${id}-late`, [event('ExecutionCreated')], NO_STREAM);
      await store.append(`flow-${id}`, [event('FlowDisabled')], 0n);
      await until(() => executions.length === 22 && flows.length === 2);
      expect(executions.map((e) => e.streamId)).toEqual([...Array.from({ length: 20 }, (_, i) => `execution-${id}-${i}`), `execution-${id}-x`, `execution-${id}-late`]);
      expect(flows.map((e) => e.type)).toEqual(['FlowRevisionDeployed', 'FlowDisabled']);
    } finally {
      await store.close();
      await pool.end();
    }
  });

  it('keeps positions in commit order across many connections (no reader sees a smaller position later)', async () => {
    const stores = Array.from({ length: 4 }, () => new PostgresEventStore({ connectionString: database.url, poolSize: 8 }));
    const reader = new PostgresEventStore({ connectionString: database.url });
    const prefix = `order-${randomUUID()}-`;
    const seen: RecordedEvent[] = [];
    try {
      const head = await reader.headPosition();
      // A reader polling as fast as it can exposes any position committed behind one already read.
      let last = head;
      let writing = true;
      const polling = (async () => {
        while (writing || seen.length < 400) {
          const batch = await reader.readAll({ after: last, filter: { streamPrefixes: [prefix] } });
          seen.push(...batch);
          if (batch.length > 0) last = batch[batch.length - 1].position;
          if (!writing && batch.length === 0) break;
        }
      })();
      await Promise.all(
        Array.from({ length: 40 }, async (_, w) => {
          const store = stores[w % stores.length];
          for (let i = 0; i < 10; i++) await store.append(`${prefix}${w}`, [event('E', { w, i })], ANY);
        }),
      );
      writing = false;
      await polling;
      const all = await reader.readAll({ after: head, filter: { streamPrefixes: [prefix] } });
      expect(all).toHaveLength(400);
      expect(seen.map((e) => e.id)).toEqual(all.map((e) => e.id));
    } finally {
      await Promise.all([...stores, reader].map((s) => s.close()));
    }
  });

  describe('concurrent appends (AppendCoalescer)', () => {
    /** A real pool, watched: how many chronicle_append calls (transactions, commits) reach Postgres. */
    function countingPool() {
      const pool = new pg.Pool({ connectionString: database.url, max: 10 });
      const counts = { appends: 0 };
      const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
      (pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        if (typeof args[0] === 'string' && args[0].includes('chronicle_append')) counts.appends++;
        return query(...args);
      };
      return { pool, counts };
    }

    it('writes the appends of concurrent callers with fewer commits than callers, each stored as if appended alone', async () => {
      const { pool, counts } = countingPool();
      const store = new PostgresEventStore({ pool });
      const prefix = `coalesced-${randomUUID()}-`;
      try {
        const callers = Array.from({ length: 24 }, (_, i) => ({ stream: `${prefix}${i}`, events: [event('Created', { i }), event('Started', { i })] }));
        const results = await Promise.all(callers.map((c) => store.append(c.stream, c.events, NO_STREAM)));
        expect(counts.appends).toBeLessThan(callers.length);
        for (const [i, c] of callers.entries()) {
          const stored = await store.readStream(c.stream);
          expect(stored.map((e) => ({ id: e.id, type: e.type, data: e.data, revision: e.revision }))).toEqual(c.events.map((e, r) => ({ id: e.id, type: e.type, data: e.data, revision: BigInt(r) })));
          // Each caller is told its own stream's revision and last position.
          expect(results[i]).toEqual({ nextExpectedRevision: 1n, position: stored[1]!.position });
          expect(stored[1]!.position).toBe(stored[0]!.position + 1n);
        }
      } finally {
        await store.close();
        await pool.end();
      }
    });

    it('refuses only the caller whose expectation fails; the callers written with it succeed', async () => {
      const store = new PostgresEventStore({ connectionString: database.url });
      const prefix = `coalesced-refusal-${randomUUID()}-`;
      try {
        await store.append(`${prefix}taken`, [event('Created')], NO_STREAM);
        const outcomes = await Promise.allSettled([
          store.append(`${prefix}a`, [event('Created')], NO_STREAM),
          store.append(`${prefix}taken`, [event('Created')], NO_STREAM),
          store.appendMany([
            { streamId: `${prefix}b`, events: [event('Created')], expectedRevision: NO_STREAM },
            { streamId: `${prefix}c`, events: [event('Created')], expectedRevision: ANY },
          ]),
        ]);
        expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
        expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedVersionError);
        expect((await store.readStream(`${prefix}taken`)).length).toBe(1);
        expect((await store.readStream(`${prefix}a`)).map((e) => e.type)).toEqual(['Created']);
        expect((outcomes[2] as PromiseFulfilledResult<unknown>).value).toEqual([
          { nextExpectedRevision: 0n, position: (await store.readStream(`${prefix}b`))[0]!.position },
          { nextExpectedRevision: 0n, position: (await store.readStream(`${prefix}c`))[0]!.position },
        ]);
        expect((await store.readStream(`${prefix}c`)).length).toBe(1);
      } finally {
        await store.close();
      }
    });
  });
});

async function listenerPids(admin: pg.Client): Promise<number[]> {
  const { rows } = await admin.query<{ pid: number }>(
    "SELECT pid FROM pg_stat_activity WHERE application_name = 'chronicle-event-store-listener' AND datname = current_database()",
  );
  return rows.map((r) => r.pid);
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
