import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EsdbTestServer } from '@chronicle/testing';
import {
  ANY,
  EventStoreError,
  EventStoreUnavailableError,
  NO_STREAM,
  StreamDeletedError,
  WrongExpectedVersionError,
  type EventData,
  type RecordedEvent,
} from '../index.js';
import { EventStoreDbEventStore } from './eventstoredb-event-store.js';

// Error mapping and reconnection, against the in-process gRPC server driven by the official
// client: faults are answered the way EventStoreDB answers them; stop() drops every
// connection like a crashed node and restart() brings the node back with its log.
let server: EsdbTestServer;
let store: EventStoreDbEventStore;
const fastRetry = { attempts: 4, firstDelayMs: 20, maxDelayMs: 100 };

beforeEach(async () => {
  server = await EsdbTestServer.start();
  store = new EventStoreDbEventStore({ connectionString: server.url, retry: fastRetry, subscriptionRetry: { attempts: 40, firstDelayMs: 20, maxDelayMs: 100 } });
});
afterEach(async () => {
  await store.close();
  await server.stop();
});

const event = (type: string): EventData => ({ id: randomUUID(), type, data: { type }, metadata: { schemaVersion: 1, occurredAt: '2024-01-01T00:00:00.000Z' } });
const stream = () => `failures-${randomUUID().slice(0, 8)}`;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('error mapping', () => {
  it('maps a conflict to WrongExpectedVersionError with the actual revision', async () => {
    const s = stream();
    await store.append(s, [event('A'), event('B')], NO_STREAM);
    const error = await rejection(store.append(s, [event('C')], 0n));
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ streamId: s, expected: 0n, actual: 1n });
  });

  it('retries an append answered by a follower (not leader) and writes it once', async () => {
    const s = stream();
    server.injectFault({ method: 'append', error: 'not-leader' });
    await store.append(s, [event('A')], NO_STREAM);
    expect((await store.readStream(s)).map((e) => e.type)).toEqual(['A']);
  });

  it('reports EventStoreUnavailableError when no leader answers within the retries', async () => {
    server.injectFault({ method: 'append', error: 'not-leader', times: fastRetry.attempts });
    const error = await rejection(store.append(stream(), [event('A')], ANY));
    expect(error).toBeInstanceOf(EventStoreUnavailableError);
    expect(error).toMatchObject({ code: 'EVENT_STORE_UNAVAILABLE' });
  });

  it('retries reads answered with unavailable', async () => {
    const s = stream();
    await store.append(s, [event('A')], NO_STREAM);
    server.injectFault({ method: 'read', error: 'unavailable', times: fastRetry.attempts - 1 });
    expect((await store.readStream(s)).map((e) => e.type)).toEqual(['A']);
  });

  it('reads a deleted stream as empty and maps appends to it to StreamDeletedError', async () => {
    const s = stream();
    server.injectFault({ method: 'read', error: 'stream-deleted' });
    expect(await store.readStream(s)).toEqual([]);
    server.injectFault({ method: 'append', error: 'stream-deleted' });
    const error = await rejection(store.append(s, [event('A')], ANY));
    expect(error).toBeInstanceOf(StreamDeletedError);
  });

  it('maps access denied to a non-retried EventStoreError', async () => {
    server.injectFault({ method: 'read', error: 'access-denied' });
    const error = await rejection(store.readAll());
    expect(error).toBeInstanceOf(EventStoreError);
    expect(error).toMatchObject({ code: 'EVENT_STORE_ACCESS_DENIED' });
  });

  it('reports EventStoreUnavailableError while the node is down, and works again once it is back', async () => {
    await server.stop();
    expect(await rejection(store.append(stream(), [event('A')], ANY))).toBeInstanceOf(EventStoreUnavailableError);
    expect(await rejection(store.headPosition())).toBeInstanceOf(EventStoreUnavailableError);
    await server.restart();
    const s = stream();
    await store.append(s, [event('A')], NO_STREAM);
    expect(await store.streamRevision(s)).toBe(0n);
  });

  it('applies appendMany per stream: a failure after the checks leaves the earlier requests written', async () => {
    const [a, b] = [stream(), stream()];
    server.injectFault({ method: 'append', error: 'stream-deleted', stream: b });
    const error = await rejection(
      store.appendMany([
        { streamId: a, events: [event('A0')], expectedRevision: NO_STREAM },
        { streamId: b, events: [event('B0')], expectedRevision: NO_STREAM },
      ]),
    );
    expect(error).toMatchObject({ code: 'EVENT_STORE_STREAM_DELETED', streamId: b });
    expect((await store.readStream(a)).map((e) => e.type)).toEqual(['A0']);
    expect(await store.readStream(b)).toEqual([]);
  });
});

describe('reconnection', () => {
  it('resumes a subscription from its last position after the node restarts mid-delivery: no loss, no duplicates', async () => {
    const prefix = stream();
    const written: string[] = [];
    for (let i = 0; i < 40; i++) {
      const events = [event(`E${i}a`), event(`E${i}b`)];
      written.push(...events.map((e) => e.id));
      await store.append(`${prefix}-${i % 4}`, events, ANY);
    }
    const received: RecordedEvent[] = [];
    let restarted: Promise<void> | undefined;
    const subscription = store.subscribeToAll({ filter: { streamPrefixes: [prefix] }, batchSize: 5 }, async (batch) => {
      received.push(...batch);
      // Stop the node while the subscription is still catching up, with events in flight.
      if (!restarted && received.length >= 25) restarted = server.stop().then(() => new Promise((r) => setTimeout(r, 300))).then(() => server.restart());
      await new Promise((r) => setTimeout(r, 2));
    });
    await until(() => restarted !== undefined);
    const beforeRestart = received.length;
    await restarted;
    for (let i = 0; i < 10; i++) {
      const e = event(`Live${i}`);
      written.push(e.id);
      await store.append(`${prefix}-live`, [e], ANY);
    }
    await until(() => received.length >= written.length);
    await subscription.caughtUp;
    await new Promise((r) => setTimeout(r, 200)); // anything delivered twice would show up now
    expect(received.map((e) => e.id)).toEqual(written);
    expect(beforeRestart).toBeLessThan(80); // the node went down before the catch-up finished
    expect(server.subscriptionsOpened).toBeGreaterThanOrEqual(2); // and the subscription was opened again
    await subscription.close();
  });

  it('resumes a live subscription after a restart and keeps delivering new events', async () => {
    const prefix = stream();
    const received: RecordedEvent[] = [];
    const subscription = store.subscribeToAll({ filter: { streamPrefixes: [prefix] } }, async (batch) => {
      received.push(...batch);
    });
    await subscription.caughtUp;
    await store.append(`${prefix}-a`, [event('Before')], NO_STREAM);
    await until(() => received.length === 1);
    await server.restart();
    await store.append(`${prefix}-a`, [event('After1'), event('After2')], 0n);
    await until(() => received.length === 3);
    expect(received.map((e) => e.type)).toEqual(['Before', 'After1', 'After2']);
    expect(server.subscriptionsOpened).toBe(2);
    await subscription.close();
  });

  it('gives up after its reconnection attempts and reports EventStoreUnavailableError', async () => {
    const giveUpQuickly = new EventStoreDbEventStore({ connectionString: server.url, subscriptionRetry: { attempts: 3, firstDelayMs: 10, maxDelayMs: 20 } });
    try {
      await server.stop();
      const reported = new Promise<Error>((resolve) => {
        const subscription = giveUpQuickly.subscribeToAll({}, async () => undefined, { onError: resolve });
        subscription.caughtUp.catch(() => undefined);
      });
      const error = await reported;
      expect(error).toBeInstanceOf(EventStoreUnavailableError);
    } finally {
      await giveUpQuickly.close();
    }
  });

  it('retries a read across a restart', async () => {
    const s = stream();
    await store.append(s, [event('A')], NO_STREAM);
    const patient = new EventStoreDbEventStore({ connectionString: server.url, retry: { attempts: 10, firstDelayMs: 50, maxDelayMs: 200 } });
    try {
      await server.stop();
      const read = patient.readStream(s);
      await new Promise((r) => setTimeout(r, 150));
      await server.restart();
      expect((await read).map((e) => e.type)).toEqual(['A']);
    } finally {
      await patient.close();
    }
  });
});

async function until(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
