import { startOwnKafka, uniqueTopicPrefix } from '@chronicle/testing';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { KafkaMessageBus } from './kafka-message-bus.js';

// Issue #18: after a broker restart, processing resumed only a session timeout after the broker
// was back. The consumers gave up retrying during the outage (about 8 s) and started as new
// members, which the restarted coordinator (it loads each group with its old members) held in a
// rebalance until the old members' sessions ran out. A consumer now stays the same member
// through the outage. The broker is this test's own (the shared one is never restarted).

let kafka: Awaited<ReturnType<typeof startOwnKafka>>;

beforeAll(async () => {
  kafka = await startOwnKafka();
}, 200_000);
afterAll(async () => {
  await kafka?.stop();
});

/** Member ids of the group, as the broker lists them. */
async function members(groupId: string): Promise<string[]> {
  const admin = new Kafka({ clientId: 'restart-test', brokers: [kafka.brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([groupId]);
    return groups[0]!.members.map((m) => m.memberId).sort();
  } finally {
    await admin.disconnect();
  }
}

describe('KafkaMessageBus through a broker restart', () => {
  it('keeps its consumer in the group as the same member, and consumes what is published once the broker is back', async () => {
    const bus = new KafkaMessageBus({ brokers: [kafka.brokers], clientId: 'restart-test', groupPrefix: 'restart', onHandlerError: () => undefined });
    const topic = `${uniqueTopicPrefix('restart')}.events`;
    const seen = new Set<string>();
    try {
      await bus.ensureTopics([topic]);
      await bus.consume<{ n: string }>({ topic, groupId: 'g' }, async (message) => {
        seen.add(message.value.n);
      });
      await bus.publish(topic, [{ key: 'k', value: { n: 'before' } }]);
      await vi.waitFor(() => expect(seen.has('before')).toBe(true), { timeout: 60_000, interval: 100 });
      const before = await members('restart.g');
      expect(before).toHaveLength(1);

      // Longer than the consumer used to retry before kafkajs gave it up (about 8 s), plus the
      // broker's own start.
      await kafka.restart(12_000);

      // Publishing may need a few attempts while the broker's partitions come back.
      await vi.waitFor(() => bus.publish(topic, [{ key: 'k', value: { n: 'after' } }]), { timeout: 60_000, interval: 500 });
      await vi.waitFor(() => expect(seen.has('after')).toBe(true), { timeout: 90_000, interval: 100 });
      expect(await members('restart.g')).toEqual(before);
    } finally {
      await bus.close();
    }
  }, 400_000);
});
