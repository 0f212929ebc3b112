import { randomUUID } from 'node:crypto';
import { ANY } from '@chronicle/event-store';
import { PostgresEventStore } from '@chronicle/event-store/postgres';
import { KafkaMessageBus } from '@chronicle/messaging';
import type { ResultRow } from '../result-row.js';
import { summary } from '../stats.js';

const event = () => ({ id: randomUUID(), type: 'BenchEvent', data: { n: 1, text: 'limit' }, metadata: { schemaVersion: 1, occurredAt: new Date().toISOString() } });

/** Raw append throughput of the event store, one event per append and 100 per append, 16 writers. */
export async function appendLimits(databaseUrl: string, seconds: number): Promise<ResultRow[]> {
  const store = new PostgresEventStore({ connectionString: databaseUrl, poolSize: 16 });
  await store.ensureSchema();
  const rows: ResultRow[] = [];
  for (const batch of [1, 100]) {
    let events = 0;
    const latencies: number[] = [];
    const end = performance.now() + seconds * 1000;
    await Promise.all(Array.from({ length: 16 }, async (_, w) => {
      while (performance.now() < end) {
        const t = performance.now();
        await store.append(`limit-${batch}-${w}-${randomUUID()}`, Array.from({ length: batch }, event), ANY);
        latencies.push(performance.now() - t);
        events += batch;
      }
    }));
    rows.push({ scenario: 'limits', mode: 'standalone', offeredPerMin: null, achievedPerMin: null, ...summary(latencies), limit: batch === 1 ? 'append-single' : 'append-batch-100', eventsPerSecond: Math.round(events / seconds) });
  }
  await store.close();
  return rows;
}

/** Kafka produce → consume round trip, one message at a time (acks=all, idempotent producer). */
export async function kafkaRoundTrip(brokers: string, messages: number): Promise<ResultRow[]> {
  const bus = new KafkaMessageBus({ brokers: [brokers], clientId: 'bench-limits' });
  const topic = `bench-rtt-${randomUUID().slice(0, 8)}`;
  await bus.ensureTopics([topic]);
  const waiting = new Map<string, () => void>();
  const consumer = await bus.consume<{ id: string }>({ topic, groupId: `${topic}-g` }, async (m) => waiting.get(m.value.id)?.());
  const rtts: number[] = [];
  for (let i = 0; i < messages + 20; i++) {
    const id = randomUUID();
    const t = performance.now();
    await new Promise<void>((resolve) => {
      waiting.set(id, resolve);
      void bus.publish(topic, [{ key: id, value: { id } }]);
    });
    if (i >= 20) rtts.push(performance.now() - t);
  }
  await consumer.stop();
  await bus.close();
  return [{ scenario: 'limits', mode: 'distributed', offeredPerMin: null, achievedPerMin: null, ...summary(rtts), limit: 'kafka-round-trip', samples: rtts.length }];
}
