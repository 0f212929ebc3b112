import { testKafkaBrokers, uniqueTopicPrefix } from '@chronicle/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { AlreadyRedrivenError, DeadLetterStore, REDRIVEN_FROM_HEADER } from './dead-letter-store.js';
import { InProcessDeadLetterSource } from './in-process-dead-letters.js';
import { InProcessMessageBus } from './in-process-message-bus.js';
import { KafkaDeadLetterSource } from './kafka-dead-letters.js';
import { KafkaMessageBus } from './kafka-message-bus.js';
import { DLQ_HEADERS, PoisonMessageError, type Consumer, type MessageBus, type ReceivedMessage } from './message-bus.port.js';

interface Setup {
  readonly bus: MessageBus;
  readonly store: DeadLetterStore;
  close(): Promise<void>;
}

const quiet = () => undefined;

/** The same story on both buses: a message is refused, dead-lettered, listed, redriven once after the fix. */
function deadLetterSuite(name: string, setup: () => Promise<Setup>) {
  describe(`DeadLetterStore (${name})`, () => {
    let s: Setup | undefined;
    const consumers: Consumer[] = [];
    afterEach(async () => {
      for (const c of consumers.splice(0)) await c.stop();
      await s?.close();
    });

    it('lists, shows and redrives a dead letter once, with the original value and headers', async () => {
      s = await setup();
      const topic = `${uniqueTopicPrefix('dlq')}.commands`;
      await s.bus.ensureTopics([topic]);
      const accepted: ReceivedMessage[] = [];
      let fixed = false;
      consumers.push(await s.bus.consume({ topic, groupId: 'worker' }, async (m) => {
        if (!fixed) throw new PoisonMessageError('flow ops.missing does not exist');
        accepted.push(m);
      }));
      await s.bus.publish(topic, [{ key: 'k1', value: { run: 'ops.missing' }, headers: { 'x-correlation': 'c-1' } }]);

      const dlq = `${topic}.dlq`;
      await until(async () => (await s!.store.queues()).find((q) => q.topic === dlq)?.count === 1);
      expect((await s.store.queues()).find((q) => q.topic === dlq)).toEqual({ topic: dlq, sourceTopic: topic, count: 1 });
      const [letter] = await s.store.list(topic);
      expect(letter).toMatchObject({
        topic: dlq, partition: 0, offset: '0', key: 'k1', value: '{"run":"ops.missing"}', headers: { 'x-correlation': 'c-1' },
        reason: 'rejected by handler: flow ops.missing does not exist', sourceTopic: topic,
      });
      expect(letter!.headers[DLQ_HEADERS.reason]).toBeUndefined();
      expect(Date.parse(letter!.failedAt!)).not.toBeNaN();
      expect(await s.store.get({ topic: dlq, partition: 0, offset: '0' })).toEqual(letter);
      expect(await s.store.get({ topic: dlq, partition: 0, offset: '7' })).toBeUndefined();

      fixed = true;
      const redriven = await s.store.redrive({ topic: dlq, partition: 0, offset: '0' }, 'operator-1');
      expect(redriven.redrive).toMatchObject({ by: 'operator-1' });
      await until(async () => accepted.length === 1);
      expect(accepted[0]).toMatchObject({ key: 'k1', value: { run: 'ops.missing' }, headers: { 'x-correlation': 'c-1', [REDRIVEN_FROM_HEADER]: `${dlq}/0/0` } });
      expect(accepted[0]!.headers[DLQ_HEADERS.reason]).toBeUndefined();
      await expect(s.store.redrive({ topic: dlq, partition: 0, offset: '0' }, 'operator-2')).rejects.toBeInstanceOf(AlreadyRedrivenError);
      expect((await s.store.list(dlq))[0]!.redrive?.by).toBe('operator-1');
    });
  });
}

async function until(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

deadLetterSuite('in-process', async () => {
  const bus = new InProcessMessageBus({ onHandlerError: quiet });
  return { bus, store: new DeadLetterStore(new InProcessDeadLetterSource(bus)), close: () => bus.close() };
});

deadLetterSuite('kafka', async () => {
  const brokers = testKafkaBrokers();
  const bus = new KafkaMessageBus({ brokers, partitions: 2, onHandlerError: quiet });
  const store = new DeadLetterStore(new KafkaDeadLetterSource({ brokers }));
  return { bus, store, close: async () => (await store.close(), await bus.close()) };
});
