/**
 * Append and subscription throughput of the EventStoreDB adapter (not a test). By default it
 * runs against the in-process gRPC test server of @chronicle/testing, NOT a real EventStoreDB;
 * set EVENTSTORE_URL to measure a real one. Run from /work/main:
 *   npx tsx --conditions=@chronicle/source bench/tools/eventstoredb-throughput.ts
 */
import { randomUUID } from 'node:crypto';
import { EsdbTestServer } from '@chronicle/testing';
import { ANY, type EventData } from '@chronicle/event-store';
import { EventStoreDbEventStore } from '@chronicle/event-store/eventstoredb';

const event = (i: number): EventData => ({
  id: randomUUID(),
  type: 'TaskRunStarted',
  data: { executionId: randomUUID(), taskId: `task-${i}`, attempt: 1, inputs: { a: 'some text', b: [1, 2, 3] } },
  metadata: { schemaVersion: 1, occurredAt: new Date().toISOString(), correlationId: randomUUID() },
});

const seconds = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9;

async function measureAppends(store: EventStoreDbEventStore, label: string, appends: number, concurrency: number, eventsPerAppend: number, prefix: string) {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < appends) {
      const i = next++;
      await store.append(`${prefix}-${i % 200}`, Array.from({ length: eventsPerAppend }, (_, k) => event(k)), ANY);
    }
  }));
  const s = seconds(started);
  console.log(`append ${label}: ${(appends / s).toFixed(0)} appends/s, ${((appends * eventsPerAppend) / s).toFixed(0)} events/s (${appends} appends, concurrency ${concurrency})`);
}

async function measureCatchUp(store: EventStoreDbEventStore, prefix: string, expected: number) {
  let received = 0;
  const started = process.hrtime.bigint();
  const subscription = store.subscribeToAll({ filter: { streamPrefixes: [prefix] }, batchSize: 500 }, async (batch) => {
    received += batch.length;
  });
  await subscription.caughtUp;
  const s = seconds(started);
  await subscription.close();
  console.log(`subscription catch-up: ${(received / s).toFixed(0)} events/s (${received} of ${expected} events, batchSize 500)`);
}

async function measureLive(store: EventStoreDbEventStore, appends: number, concurrency: number) {
  const prefix = `live-${randomUUID().slice(0, 8)}`;
  let received = 0;
  const total = appends * 10;
  let done!: () => void;
  const all = new Promise<void>((resolve) => (done = resolve));
  const subscription = store.subscribeToAll({ filter: { streamPrefixes: [prefix] }, batchSize: 500 }, async (batch) => {
    received += batch.length;
    if (received >= total) done();
  });
  await subscription.caughtUp;
  const started = process.hrtime.bigint();
  await measureAppends(store, '10-event (while subscribed)', appends, concurrency, 10, prefix);
  await all;
  const s = seconds(started);
  await subscription.close();
  console.log(`subscription live: ${(received / s).toFixed(0)} events/s delivered end to end (append -> handler), ${received} events`);
}

const realUrl = process.env.EVENTSTORE_URL;
const server = realUrl ? undefined : await EsdbTestServer.start();
const url = realUrl ?? server!.url;
console.log(realUrl ? `against a REAL EventStoreDB at ${realUrl}` : `against the in-process gRPC test server (${url}), NOT a real EventStoreDB; client, adapter and server share one Node process`);
const store = new EventStoreDbEventStore({ connectionString: url });
try {
  const prefix = `bench-${randomUUID().slice(0, 8)}`;
  await measureAppends(store, '1-event', 3000, 1, 1, `${prefix}-a`);
  await measureAppends(store, '1-event', 6000, 16, 1, `${prefix}-b`);
  await measureAppends(store, '100-event', 200, 1, 100, `${prefix}-c`);
  await measureAppends(store, '100-event', 400, 16, 100, `${prefix}-d`);
  await measureCatchUp(store, prefix, 3000 + 6000 + 20_000 + 40_000);
  await measureLive(store, 2000, 16);
} finally {
  await store.close();
  await server?.stop();
}
