import { testKafkaBrokers, uniqueTopicPrefix } from '@chronicle/testing';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { KafkaMessageBus } from './kafka-message-bus.js';
import { messageBusContract } from './test-support/message-bus.contract.js';
import { UnknownTopicError, type Consumer } from './message-bus.port.js';
import { toRawRecord } from './kafka-consumer.js';
import type { RawRecord } from './message-delivery.js';

// A plain kafkajs client plays the outside world: a foreign producer writing bytes that are
// not JSON, and an operator reading the dead-letter topic as it is.
const raw = new Kafka({ clientId: 'contract-raw', brokers: testKafkaBrokers(), logLevel: logLevel.WARN });
const producer = raw.producer({ createPartitioner: Partitioners.DefaultPartitioner });
const connected = producer.connect();
afterAll(async () => {
  await producer.disconnect();
});

messageBusContract('kafka', {
  createBus: () =>
    new KafkaMessageBus({
      brokers: testKafkaBrokers(),
      clientId: 'contract',
      retryBackoff: { initialMs: 20, maxMs: 200 },
      onHandlerError: () => undefined,
    }),
  uniquePrefix: () => uniqueTopicPrefix('bus'),
  publishRaw: async (_bus, topic, key, value) => {
    await connected;
    await producer.send({ topic, acks: -1, messages: [{ key, value }] });
  },
  readRaw: (_bus, topic, count) => readRaw(topic, count),
});

describe('KafkaMessageBus', () => {
  it('refuses to consume a topic that ensureTopics did not create (auto-creation is off)', async () => {
    const bus = new KafkaMessageBus({ brokers: testKafkaBrokers() });
    try {
      await expect(bus.consume({ topic: `${uniqueTopicPrefix('missing')}.events`, groupId: 'g' }, async () => undefined)).rejects.toBeInstanceOf(
        UnknownTopicError,
      );
    } finally {
      await bus.close();
    }
  });

  it('coalesces publishes made together into shared requests: each resolves once its messages are durable, and an uncreated topic fails only its own', async () => {
    const bus = new KafkaMessageBus({ brokers: testKafkaBrokers() });
    try {
      const prefix = uniqueTopicPrefix('coalesce');
      const [a, b] = [`${prefix}.a`, `${prefix}.b`];
      await bus.ensureTopics([a, b]);
      const publishes = Array.from({ length: 40 }, (_, i) => bus.publish(i % 2 === 0 ? a : b, [{ key: `k${i % 5}`, value: { i } }]));
      const missing = bus.publish(`${prefix}.never-created`, [{ key: 'k', value: 'lost?' }]);
      await Promise.all(publishes);
      await expect(missing).rejects.toBeInstanceOf(UnknownTopicError);
      const [fromA, fromB] = await Promise.all([readRaw(a, 20), readRaw(b, 20)]);
      const order = (records: RawRecord[], key: string) => records.filter((r) => r.key === key).map((r) => (JSON.parse(r.value!) as { i: number }).i);
      expect(order(fromA, 'k0')).toEqual([0, 10, 20, 30]);
      expect(order(fromB, 'k1')).toEqual([1, 11, 21, 31]);
    } finally {
      await bus.close();
    }
  });

  it('reports a member whose handler keeps failing on a record as a problem (readiness), until the record is done', async () => {
    const bus = new KafkaMessageBus({ brokers: testKafkaBrokers(), partitions: 1, retryBackoff: { initialMs: 20, maxMs: 50 }, onHandlerError: () => undefined });
    try {
      const topic = `${uniqueTopicPrefix('failing')}.commands`;
      await bus.ensureTopics([topic]);
      let healthy = false;
      const handled: string[] = [];
      await bus.consume<{ n: number }>({ topic, groupId: 'failing' }, async (m) => {
        if (!healthy) throw new Error('ON CONFLICT DO UPDATE command cannot affect row a second time');
        handled.push(m.key);
      });
      expect(bus.problems()).toEqual([]);
      await bus.publish(topic, [{ key: 'k1', value: { n: 1 } }]);
      await vi.waitFor(() => expect(bus.problems().join()).toMatch(/the handler keeps failing \(partition 0 at offset 0, attempt \d+: ON CONFLICT/), { timeout: 30_000 });
      healthy = true;
      await vi.waitFor(() => expect(handled).toEqual(['k1']), { timeout: 30_000 });
      expect(bus.problems()).toEqual([]);
    } finally {
      await bus.close();
    }
  });

  // The chaos run's stall after a broker restart: the backlog a member found took longer than its
  // session timeout to handle, kafkajs sent no heartbeat during the batch, the member lost its
  // partitions mid-batch and the offsets were never committed, so every rejoin handled the same
  // backlog again. The member now heartbeats during a batch and commits as it goes.
  it('keeps its membership and commits its progress through a batch that outlasts the session timeout', async () => {
    const bus = new KafkaMessageBus({ brokers: testKafkaBrokers(), partitions: 1, sessionTimeoutMs: 3000, heartbeatIntervalMs: 500, onHandlerError: () => undefined });
    let consumer: Consumer | undefined;
    try {
      const topic = `${uniqueTopicPrefix('long-batch')}.commands`;
      await bus.ensureTopics([topic]);
      // Published before the member joins: its first fetch holds all of them, one batch of ~7 s.
      const keys = Array.from({ length: 14 }, (_, i) => `k${i}`);
      await bus.publish(topic, keys.map((key, n) => ({ key, value: { n } })));
      const handled = new Set<string>();
      consumer = await bus.consume<{ n: number }>({ topic, groupId: 'long-batch' }, async (m) => {
        await new Promise((resolve) => setTimeout(resolve, 500));
        handled.add(m.key);
      });
      await vi.waitFor(() => expect([...handled].sort()).toEqual([...keys].sort()), { timeout: 60_000, interval: 200 });
      // Everything handled is committed: a member that rejoined without committing would stay behind.
      await vi.waitFor(async () => expect(await consumer!.lag()).toBe(0), { timeout: 60_000, interval: 500 });
      expect(bus.problems()).toEqual([]);
    } finally {
      await consumer?.stop();
      await bus.close();
    }
  }, 150_000);

  // Offsets are committed at most once per commit interval (not after every batch, as kafkajs's
  // auto-commit did): the last records of a burst are committed by a trailing commit, and a member
  // that stops commits what it has before it leaves, so the next member redelivers nothing.
  it('commits the progress of records handled one by one without a later record, and hands it over on stop', async () => {
    const bus = new KafkaMessageBus({ brokers: testKafkaBrokers(), partitions: 2, commitIntervalMs: 1000, onHandlerError: () => undefined });
    let first: Consumer | undefined;
    let second: Consumer | undefined;
    try {
      const topic = `${uniqueTopicPrefix('commits')}.commands`;
      await bus.ensureTopics([topic]);
      const handled: string[] = [];
      first = await bus.consume<{ n: number }>({ topic, groupId: 'commits' }, async (m) => void handled.push(m.key));
      for (let n = 0; n < 6; n++) {
        await bus.publish(topic, [{ key: `a${n}`, value: { n } }]);
        await vi.waitFor(() => expect(handled).toContain(`a${n}`), { timeout: 30_000, interval: 20 });
      }
      // No record follows the last ones: the trailing commit alone brings the lag to 0.
      await vi.waitFor(async () => expect(await first!.lag()).toBe(0), { timeout: 30_000, interval: 200 });
      await bus.publish(topic, [{ key: 'b0', value: { n: 0 } }, { key: 'b1', value: { n: 1 } }]);
      await vi.waitFor(() => expect(handled).toEqual(expect.arrayContaining(['b0', 'b1'])), { timeout: 30_000, interval: 20 });
      await first.stop();
      first = undefined;
      const again: string[] = [];
      second = await bus.consume<{ n: number }>({ topic, groupId: 'commits' }, async (m) => void again.push(m.key));
      await bus.publish(topic, [{ key: 'c0', value: { n: 0 } }]);
      await vi.waitFor(() => expect(again).toContain('c0'), { timeout: 30_000, interval: 50 });
      expect(again).toEqual(['c0']);
    } finally {
      await first?.stop();
      await second?.stop();
      await bus.close();
    }
  }, 120_000);

  // A consumer that may receive records late (maxDelayMs: the projection's metrics) still gets each one.
  it('delivers every record to a consumer that lets them gather, in order per key', async () => {
    const bus = new KafkaMessageBus({ brokers: testKafkaBrokers(), partitions: 2, onHandlerError: () => undefined });
    let consumer: Consumer | undefined;
    try {
      const topic = `${uniqueTopicPrefix('delayed')}.updates`;
      await bus.ensureTopics([topic]);
      const seen: number[] = [];
      consumer = await bus.consume<{ n: number }>({ topic, groupId: 'delayed', maxDelayMs: 1000 }, async (m) => void seen.push(m.value.n));
      for (let n = 0; n < 5; n++) await bus.publish(topic, [{ key: 'one-key', value: { n } }]);
      await vi.waitFor(() => expect(seen).toEqual([0, 1, 2, 3, 4]), { timeout: 30_000, interval: 100 });
    } finally {
      await consumer?.stop();
      await bus.close();
    }
  }, 120_000);

  it('creates each topic with its partitions and a one-partition .dlq twin, idempotently', async () => {
    const bus = new KafkaMessageBus({ brokers: testKafkaBrokers(), partitions: 3 });
    const admin = raw.admin();
    try {
      const topic = `${uniqueTopicPrefix('topics')}.events`;
      await bus.ensureTopics([topic]);
      await bus.ensureTopics([topic]);
      await admin.connect();
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic, `${topic}.dlq`] });
      expect(topics.map((t) => [t.name, t.partitions.length]).sort()).toEqual([
        [topic, 3],
        [`${topic}.dlq`, 1],
      ]);
    } finally {
      await admin.disconnect();
      await bus.close();
    }
  });
});

async function readRaw(topic: string, count: number): Promise<RawRecord[]> {
  const consumer = raw.consumer({ groupId: uniqueTopicPrefix('reader'), maxWaitTimeInMs: 20 });
  const records: RawRecord[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read ${records.length} of ${count} records from ${topic}`)), 20_000);
      void consumer.run({
        eachMessage: async ({ partition, message }) => {
          records.push(toRawRecord(topic, partition, message));
          if (records.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return records.slice(0, count);
}
