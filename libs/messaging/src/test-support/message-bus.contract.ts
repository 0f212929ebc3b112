import { afterEach, describe, expect, it } from 'vitest';
import { DLQ_HEADERS, dlqTopic, PoisonMessageError, type BusMessage, type MessageBus, type ReceivedMessage } from '../message-bus.port.js';
import type { RawRecord } from '../message-delivery.js';

/**
 * The contract every MessageBus adapter keeps (message-bus.port.ts), run against each one
 * with a harness that knows how to reach outside the port (raw values, raw reads).
 */
export interface BusHarness<B extends MessageBus> {
  createBus(): B;
  /** A topic prefix no other test uses. */
  uniquePrefix(): string;
  /** Writes a value as is, bypassing the JSON encoding of `publish`. */
  publishRaw(bus: B, topic: string, key: string, value: string): Promise<void>;
  /** The first `count` records of a topic, undecoded. */
  readRaw(bus: B, topic: string, count: number): Promise<RawRecord[]>;
}

const WAIT_MS = 20_000;

/** Collects deliveries and lets a test wait (with a deadline, as a failure guard) for a condition. */
class Received<T> {
  readonly all: ReceivedMessage<T>[] = [];
  private readonly waiters = new Set<() => void>();

  push = (message: ReceivedMessage<T>): void => {
    this.all.push(message);
    for (const check of this.waiters) check();
  };

  get values(): T[] {
    return this.all.map((m) => m.value);
  }

  until(condition: (all: readonly ReceivedMessage<T>[]) => boolean, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}; received ${JSON.stringify(this.values)}`));
      }, WAIT_MS);
      const check = () => {
        if (!condition(this.all)) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
      check();
    });
  }

  count(n: number): Promise<void> {
    return this.until((all) => all.length >= n, `${n} messages`);
  }
}

type Seq = { readonly seq: number };
const seqMessages = (key: string, from: number, to: number): BusMessage[] =>
  Array.from({ length: to - from }, (_, i) => ({ key, value: { seq: from + i } }));

export function messageBusContract<B extends MessageBus>(name: string, harness: BusHarness<B>): void {
  describe(`MessageBus contract: ${name}`, () => {
    const buses: B[] = [];
    afterEach(async () => {
      await Promise.all(buses.splice(0).map((bus) => bus.close()));
    });

    async function setup(): Promise<{ bus: B; topic: string; group: (n: string) => string }> {
      const bus = harness.createBus();
      buses.push(bus);
      const prefix = harness.uniquePrefix();
      const topic = `${prefix}.events`;
      await bus.ensureTopics([topic]);
      return { bus, topic, group: (n) => `${prefix}-${n}` };
    }

    it('delivers a published message with its key, value and headers', async () => {
      const { bus, topic, group } = await setup();
      const received = new Received<{ a: number; nested: { b: string[] } }>();
      await bus.consume({ topic, groupId: group('g') }, async (m) => received.push(m as ReceivedMessage<{ a: number; nested: { b: string[] } }>));
      await bus.publish(topic, [{ key: 'exec-1', value: { a: 1, nested: { b: ['x'] } }, headers: { 'correlation-id': 'c-1' } }]);
      await received.count(1);
      const [message] = received.all;
      expect(message).toMatchObject({ topic, key: 'exec-1', value: { a: 1, nested: { b: ['x'] } } });
      expect(message.headers['correlation-id']).toBe('c-1');
      expect(message.offset).toMatch(/^\d+$/);
      expect(Number.isInteger(message.partition)).toBe(true);
    });

    it('keeps the publish order of each key', async () => {
      const { bus, topic, group } = await setup();
      const received = new Received<Seq>();
      await bus.consume<Seq>({ topic, groupId: group('g') }, async (m) => received.push(m));
      for (let round = 0; round < 3; round++) {
        await bus.publish(topic, ['a', 'b', 'c'].flatMap((key) => seqMessages(key, round * 10, round * 10 + 10)));
      }
      await received.count(90);
      for (const key of ['a', 'b', 'c']) {
        expect(received.all.filter((m) => m.key === key).map((m) => m.value.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i));
      }
    });

    it('gives every message to each consumer group', async () => {
      const { bus, topic, group } = await setup();
      const [first, second] = [new Received<Seq>(), new Received<Seq>()];
      await bus.consume<Seq>({ topic, groupId: group('one') }, async (m) => first.push(m));
      await bus.consume<Seq>({ topic, groupId: group('two') }, async (m) => second.push(m));
      await bus.publish(topic, Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: { seq: i } })));
      await Promise.all([first.count(20), second.count(20)]);
      const all = Array.from({ length: 20 }, (_, i) => i);
      expect(first.values.map((v) => v.seq).sort((x, y) => x - y)).toEqual(all);
      expect(second.values.map((v) => v.seq).sort((x, y) => x - y)).toEqual(all);
    });

    it('shares the messages of one group between its consumers, each message once', async () => {
      const { bus, topic, group } = await setup();
      const received = new Received<Seq>();
      const [byFirst, bySecond] = [new Received<Seq>(), new Received<Seq>()];
      await bus.consume<Seq>({ topic, groupId: group('g') }, async (m) => (byFirst.push(m), received.push(m)));
      await bus.consume<Seq>({ topic, groupId: group('g') }, async (m) => (bySecond.push(m), received.push(m)));
      await bus.publish(topic, Array.from({ length: 40 }, (_, i) => ({ key: `exec-${i}`, value: { seq: i } })));
      await received.until((all) => new Set(all.map((m) => m.value.seq)).size === 40, '40 distinct messages');
      expect(received.all).toHaveLength(40);
      expect(byFirst.all.length).toBeGreaterThan(0);
      expect(bySecond.all.length).toBeGreaterThan(0);
      const firstKeys = new Set(byFirst.all.map((m) => m.key));
      expect(bySecond.all.filter((m) => firstKeys.has(m.key))).toEqual([]);
    });

    it('commits after the handler succeeded: a restarted group member resumes after the committed messages', async () => {
      const { bus, topic, group } = await setup();
      const before = new Received<Seq>();
      const first = await bus.consume<Seq>({ topic, groupId: group('g') }, async (m) => before.push(m));
      await bus.publish(topic, seqMessages('same-key', 0, 3));
      await before.count(3);
      await first.stop();
      await bus.publish(topic, seqMessages('same-key', 3, 5));
      const after = new Received<Seq>();
      await bus.consume<Seq>({ topic, groupId: group('g') }, async (m) => after.push(m));
      await after.count(2);
      expect(after.values).toEqual([{ seq: 3 }, { seq: 4 }]);
    });

    it('redelivers a message whose handler failed, before the ones after it', async () => {
      const { bus, topic, group } = await setup();
      const attempts = new Received<Seq>();
      let failures = 0;
      await bus.consume<Seq>({ topic, groupId: group('g') }, async (m) => {
        attempts.push(m);
        if (m.value.seq === 1 && failures++ === 0) throw new Error('transient failure');
      });
      await bus.publish(topic, seqMessages('same-key', 0, 3));
      await attempts.count(4);
      expect(attempts.values.map((v) => v.seq)).toEqual([0, 1, 1, 2]);
      expect(attempts.all[1].offset).toBe(attempts.all[2].offset);
    });

    it('does not commit a message whose handler kept failing: the next group member gets it', async () => {
      const { bus, topic, group } = await setup();
      const failing = new Received<Seq>();
      const first = await bus.consume<Seq>({ topic, groupId: group('g') }, async (m) => {
        failing.push(m);
        throw new Error('downstream is down');
      });
      await bus.publish(topic, seqMessages('same-key', 0, 1));
      await failing.count(1);
      await first.stop();
      const next = new Received<Seq>();
      await bus.consume<Seq>({ topic, groupId: group('g') }, async (m) => next.push(m));
      await next.count(1);
      expect(next.all[0]).toMatchObject({ value: { seq: 0 }, offset: failing.all[0].offset });
    });

    it('sends a value that is not JSON to the dead-letter topic and moves on', async () => {
      const { bus, topic, group } = await setup();
      const received = new Received<Seq>();
      await bus.consume<Seq>({ topic, groupId: group('g') }, async (m) => received.push(m));
      await harness.publishRaw(bus, topic, 'same-key', '{not json');
      await bus.publish(topic, [{ key: 'same-key', value: { seq: 1 } }]);
      await received.count(1);
      expect(received.values).toEqual([{ seq: 1 }]);
      const [dead] = await harness.readRaw(bus, dlqTopic(topic), 1);
      expect(dead).toMatchObject({ key: 'same-key', value: '{not json' });
      expect(dead.headers[DLQ_HEADERS.reason]).toMatch(/^invalid JSON/);
      expect(dead.headers[DLQ_HEADERS.sourceTopic]).toBe(topic);
      expect(Number(dead.headers[DLQ_HEADERS.sourceOffset])).toBe(Number(received.all[0].offset) - 1);
      expect(dead.headers[DLQ_HEADERS.sourcePartition]).toBe(String(received.all[0].partition));
      expect(Number.isNaN(Date.parse(dead.headers[DLQ_HEADERS.failedAt]))).toBe(false);
    });

    it('sends a message the handler rejects as poison to the dead-letter topic, with the reason', async () => {
      const { bus, topic, group } = await setup();
      const received = new Received<Seq>();
      await bus.consume<Seq>({ topic, groupId: group('g') }, async (m) => {
        if (m.value.seq < 0) throw new PoisonMessageError('seq must not be negative');
        received.push(m);
      });
      await bus.publish(topic, [{ key: 'k', value: { seq: -1 }, headers: { 'correlation-id': 'c-9' } }, { key: 'k', value: { seq: 2 } }]);
      await received.count(1);
      expect(received.values).toEqual([{ seq: 2 }]);
      const [dead] = await harness.readRaw(bus, dlqTopic(topic), 1);
      expect(JSON.parse(dead.value ?? '')).toEqual({ seq: -1 });
      expect(dead.headers[DLQ_HEADERS.reason]).toContain('seq must not be negative');
      expect(dead.headers['correlation-id']).toBe('c-9');
    });

    it('hands batches over in order, and dead-letters only the records a rejected batch held', async () => {
      const { bus, topic, group } = await setup();
      const received = new Received<Seq>();
      await bus.consumeBatch<Seq>({ topic, groupId: group('g') }, async (batch) => {
        if (batch.some((m) => m.value.seq < 0)) throw new PoisonMessageError('negative seq in batch');
        for (const m of batch) received.push(m);
      });
      await bus.publish(topic, seqMessages('same-key', 0, 5));
      await received.count(5);
      await harness.publishRaw(bus, topic, 'same-key', 'garbage');
      await bus.publish(topic, [...seqMessages('same-key', 5, 7), { key: 'same-key', value: { seq: -1 } }, ...seqMessages('same-key', 7, 9)]);
      await received.count(9);
      expect(received.values.map((v) => v.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
      const dead = await harness.readRaw(bus, dlqTopic(topic), 2);
      expect(dead.map((d) => d.value)).toEqual(['garbage', '{"seq":-1}']);
    });

    it('reports the lag of a consumer group', async () => {
      const { bus, topic, group } = await setup();
      const received = new Received<Seq>();
      const consumer = await bus.consume<Seq>({ topic, groupId: group('g') }, async (m) => received.push(m));
      await bus.publish(topic, seqMessages('k', 0, 3));
      await received.count(3);
      await consumer.stop();
      await bus.publish(topic, seqMessages('k', 3, 5));
      expect(await consumer.lag()).toBe(2);
    });
  });
}
