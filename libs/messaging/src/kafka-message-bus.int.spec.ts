import { testKafkaBrokers, uniqueTopicPrefix } from '@chronicle/testing';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { KafkaMessageBus } from './kafka-message-bus.js';
import { messageBusContract } from './message-bus.contract.js';
import { UnknownTopicError } from './message-bus.port.js';
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
