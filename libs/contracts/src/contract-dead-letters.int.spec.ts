import { DLQ_HEADERS, dlqTopic, InProcessMessageBus, KafkaMessageBus, type MessageBus } from '@chronicle/messaging';
import { testKafkaBrokers, uniqueTopicPrefix } from '@chronicle/testing';
import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { parseTimerMessage, type TimerMessage } from './timers.js';

const FIRE_AT = '2030-01-01T00:00:00.000Z';
const MESSAGES = [
  // Written by a build from before the contracts were versioned: no schemaVersion, read as 1.
  { key: 'old', value: { type: 'CancelTimer', timerId: 't-old', executionId: 'e-old' } },
  { key: 'current', value: { type: 'ScheduleTimer', timerId: 't-now', executionId: 'e-now', fireAt: FIRE_AT, schemaVersion: 1 } },
  { key: 'future', value: { type: 'CancelTimer', timerId: 't-next', executionId: 'e-next', schemaVersion: 2 } },
  { key: 'broken', value: { type: 'ScheduleTimer', timerId: 't-bad', executionId: 'e-bad', fireAt: 'tomorrow-ish' } },
];

type DeadLetter = { key: string; reason: string };

/** A consumer of the timers topic that reads through the contract, as the scheduler does. */
async function consumeThroughContract(bus: MessageBus, topic: string, batch: boolean): Promise<TimerMessage[]> {
  const handled: TimerMessage[] = [];
  if (batch) await bus.consumeBatch({ topic, groupId: 'contract-test' }, async (messages) => void handled.push(...messages.map((m) => parseTimerMessage(m.value))));
  else await bus.consume({ topic, groupId: 'contract-test' }, async (m) => void handled.push(parseTimerMessage(m.value)));
  return handled;
}

async function expectOutcome(handled: TimerMessage[], deadLetters: () => Promise<DeadLetter[]>): Promise<void> {
  await expect.poll(() => handled.length, { timeout: 30_000 }).toBe(2);
  // Kafka spreads the keys over partitions: the order across keys is not the publish order.
  expect([...handled].sort((a, b) => a.timerId.localeCompare(b.timerId))).toEqual([
    { type: 'ScheduleTimer', timerId: 't-now', executionId: 'e-now', fireAt: FIRE_AT },
    { type: 'CancelTimer', timerId: 't-old', executionId: 'e-old' },
  ]);
  const dead = await deadLetters();
  expect([...dead].sort((a, b) => a.key.localeCompare(b.key))).toEqual([
    { key: 'broken', reason: expect.stringMatching(/timers ScheduleTimer: fireAt: must be an ISO-8601 date-time/) },
    { key: 'future', reason: expect.stringMatching(/timers: unknown schemaVersion 2; this build reads version 1/) },
  ]);
}

describe('a contract refusal goes to <topic>.dlq with its reason', () => {
  for (const batch of [false, true]) {
    it(`in-process (${batch ? 'consumeBatch' : 'consume'})`, async () => {
      const bus = new InProcessMessageBus({ partitions: 1 });
      const topic = 'contract.timers';
      await bus.ensureTopics([topic]);
      const handled = await consumeThroughContract(bus, topic, batch);
      await bus.publish(topic, MESSAGES);
      await expectOutcome(handled, async () => {
        await expect.poll(() => bus.retained(dlqTopic(topic)).length).toBe(2);
        return bus.retained(dlqTopic(topic)).map((r) => ({ key: r.key, reason: r.headers[DLQ_HEADERS.reason]! }));
      });
      await bus.close();
    });

    it(`over the real Kafka broker (${batch ? 'consumeBatch' : 'consume'})`, async () => {
      const bus = new KafkaMessageBus({ brokers: testKafkaBrokers(), clientId: 'contract-dlq', retryBackoff: { initialMs: 20, maxMs: 200 } });
      const topic = `${uniqueTopicPrefix('contracts')}.timers`;
      try {
        await bus.ensureTopics([topic]);
        const handled = await consumeThroughContract(bus, topic, batch);
        await bus.publish(topic, MESSAGES);
        await expectOutcome(handled, () => readDeadLetters(dlqTopic(topic), 2));
      } finally {
        await bus.close();
      }
    });
  }
});

/** Reads the dead-letter topic as an operator would, with a plain kafkajs consumer. */
async function readDeadLetters(topic: string, count: number): Promise<DeadLetter[]> {
  const consumer = new Kafka({ clientId: 'contract-dlq-reader', brokers: testKafkaBrokers(), logLevel: logLevel.NOTHING }).consumer({ groupId: `reader-${Date.now()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    const letters: DeadLetter[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fewer than ${count} dead letters on ${topic}`)), 30_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          letters.push({ key: message.key!.toString(), reason: message.headers![DLQ_HEADERS.reason]!.toString() });
          if (letters.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    return letters;
  } finally {
    await consumer.disconnect();
  }
}
