/**
 * Quick append throughput measurement (not a test). Run from /work/main:
 *   CHRONICLE_TEST_PG_URL=postgres://... npx tsx --conditions=@chronicle/source bench/tools/append-throughput.ts
 */
import { randomUUID } from 'node:crypto';
import { createTestDatabase } from '@chronicle/testing';
import { ANY, type EventData } from '@chronicle/event-store';
import { PostgresEventStore } from '@chronicle/event-store/postgres';

const event = (i: number): EventData => ({
  id: randomUUID(),
  type: 'TaskRunStarted',
  data: { executionId: randomUUID(), taskId: `task-${i}`, attempt: 1, inputs: { a: 'some text', b: [1, 2, 3] } },
  metadata: { schemaVersion: 1, occurredAt: new Date().toISOString(), correlationId: randomUUID() },
});

async function measure(label: string, appends: number, concurrency: number, run: (i: number) => Promise<unknown>, eventsPerAppend: number) {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < appends) await run(next++);
  }));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`${label}: ${(appends / seconds).toFixed(0)} appends/s, ${((appends * eventsPerAppend) / seconds).toFixed(0)} events/s (${appends} appends, concurrency ${concurrency})`);
}

const db = await createTestDatabase('bench');
const store = new PostgresEventStore({ connectionString: db.url, poolSize: 16 });
try {
  await store.ensureSchema();
  for (const concurrency of [1, 16]) {
    await measure(`1-event append`, 3000, concurrency, (i) => store.append(`bench-${concurrency}-${i % 200}`, [event(i)], ANY), 1);
    await measure(`100-event append`, 200, concurrency, (i) => store.append(`batch-${concurrency}-${i % 50}`, Array.from({ length: 100 }, (_, k) => event(k)), ANY), 100);
  }
} finally {
  await store.close();
  await db.drop();
}
