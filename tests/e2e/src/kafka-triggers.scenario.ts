import { Kafka, logLevel } from 'kafkajs';
import { expect, it } from 'vitest';
import { eventually, untilTerminal, type GatewayClient } from '@chronicle/testing';
import { executionsOf } from './triggers.scenario.js';

/** Kafka trigger events (`<prefix>.triggers`) and a flow's own Kafka trigger, on the real broker. */
export function kafkaTriggerScenario(context: () => { client: GatewayClient; brokers: string[]; topicPrefix: string }): void {
  const producer = async () => {
    const kafka = new Kafka({ clientId: 'e2e-trigger-producer', brokers: context().brokers, logLevel: logLevel.NOTHING });
    const p = kafka.producer();
    await p.connect();
    return p;
  };

  it('starts one execution per idempotency key, dead-letters poison, and keeps going', async () => {
    const { client: c, topicPrefix, brokers } = context();
    await c.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: `id: from-kafka\nnamespace: triggers.kafka\ninputs:\n  - id: order\n    type: INT\ntasks:\n  - id: work\n    type: Log\n    message: "order {{ inputs.order }}"\n` });
    const p = await producer();
    try {
      const topic = `${topicPrefix}.triggers`;
      const event = (order: number, key?: string) => JSON.stringify({ namespace: 'triggers.kafka', flowId: 'from-kafka', inputs: { order }, ...(key ? { idempotencyKey: key } : {}) });
      await p.send({ topic, messages: [{ key: 'a', value: event(1, 'order-1') }, { key: 'a', value: event(1, 'order-1') }] });
      await p.send({ topic, messages: [{ key: 'a', value: '{ not json' }, { key: 'a', value: JSON.stringify({ namespace: 'triggers.kafka', flowId: 'no-such-flow' }) }] });
      // A numeric idempotency key is neither used nor silently ignored (CONTRACT.md says string): refused.
      await p.send({ topic, messages: [{ key: 'a', value: JSON.stringify({ namespace: 'triggers.kafka', flowId: 'from-kafka', inputs: { order: 3 }, idempotencyKey: 17 }) }] });
      await p.send({ topic, messages: [{ key: 'a', value: event(2, 'order-2') }] });
      const list = await eventually('two executions', async () => {
        const l = await executionsOf(c, 'triggers.kafka', 'from-kafka');
        return l.length >= 2 && l;
      }, 60_000);
      await new Promise((r) => setTimeout(r, 1000));
      const final = await executionsOf(c, 'triggers.kafka', 'from-kafka');
      expect(final.map((e) => e.inputs.order).sort()).toEqual([1, 2]);
      expect(final[0]!.trigger).toMatchObject({ topic });
      for (const e of list) expect((await untilTerminal(c, e.id)).state).toBe('SUCCESS');

      const dead = await readAll(brokers, `${topic}.dlq`, 3);
      expect(dead.map((m) => m.headers['chronicle-dlq-reason'])).toEqual([
        expect.stringMatching(/JSON/), expect.stringMatching(/no-such-flow/), expect.stringMatching(/idempotencyKey must be a non-empty string, got 17 \(number\)/),
      ]);
      expect(dead[0]!.headers['chronicle-dlq-source-topic']).toBe(topic);
    } finally {
      await p.disconnect();
    }
  });

  it('runs a flow\'s own Kafka trigger with its condition and trigger.value', async () => {
    const { client: c, topicPrefix } = context();
    // Unique per run, and outside Chronicle's own `<prefix>.` topics, which flows may not read.
    const topic = `${topicPrefix}-orders`;
    await c.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: `id: big-orders\nnamespace: triggers.kafka\ninputs:\n  - id: total\n    type: INT\ntasks:\n  - id: work\n    type: Log\n    message: "big order {{ trigger.value.id }}"\ntriggers:\n  - id: orders\n    type: io.kestra.plugin.kafka.Trigger\n    topic: ${topic}\n    groupId: ${topicPrefix}-orders\n    valueDeserializer: JSON\n    keyDeserializer: STRING\n    condition: "{{ trigger.value.total > 100 }}"\n    inputs:\n      total: "{{ trigger.value.total }}"\n` });
    // The scheduler creates the topic and joins its group when it indexes the flow.
    await eventually('the trigger topic', async () => (await new Kafka({ brokers: context().brokers, logLevel: logLevel.NOTHING }).admin().listTopics()).includes(topic), 20_000, 200);
    await new Promise((r) => setTimeout(r, 1500));
    const p = await producer();
    try {
      await p.send({ topic, messages: [{ key: 'o1', value: JSON.stringify({ id: 'small', total: 5 }) }, { key: 'o2', value: JSON.stringify({ id: 'big', total: 500 }) }] });
    } finally {
      await p.disconnect();
    }
    const [run] = await eventually('the big order execution', async () => {
      const l = await executionsOf(c, 'triggers.kafka', 'big-orders');
      return l.length > 0 && l;
    }, 60_000);
    expect(run!.inputs).toEqual({ total: 500 });
    expect(run!.trigger).toMatchObject({ id: 'orders', key: 'o2', value: { id: 'big', total: 500 } });
    await new Promise((r) => setTimeout(r, 1000));
    expect(await executionsOf(c, 'triggers.kafka', 'big-orders')).toHaveLength(1);

    // Disabled at run time, the trigger stops consuming: a message waits in the topic, and is
    // consumed once the trigger is enabled again (nothing consumed and dropped meanwhile).
    const toggle = (op: 'disableTrigger' | 'enableTrigger') => c.data(`mutation{ ${op}(namespace:"triggers.kafka", flowId:"big-orders", triggerId:"orders"){ enabled } }`);
    expect((await toggle('disableTrigger')).disableTrigger.enabled).toBe(false);
    await new Promise((r) => setTimeout(r, 2000)); // the scheduler stops the consumer on the state notification
    const again = await producer();
    try {
      await again.send({ topic, messages: [{ key: 'o3', value: JSON.stringify({ id: 'while-disabled', total: 900 }) }] });
    } finally {
      await again.disconnect();
    }
    await new Promise((r) => setTimeout(r, 2000));
    expect(await executionsOf(c, 'triggers.kafka', 'big-orders')).toHaveLength(1);
    expect((await toggle('enableTrigger')).enableTrigger.enabled).toBe(true);
    const after = await eventually('the message kept while disabled', async () => {
      const l = await executionsOf(c, 'triggers.kafka', 'big-orders');
      return l.length > 1 && l;
    }, 60_000);
    expect(after.map((e) => e.inputs.total).sort()).toEqual([500, 900]);
  });
}

async function readAll(brokers: string[], topic: string, count: number): Promise<Array<{ value: string; headers: Record<string, string> }>> {
  const kafka = new Kafka({ clientId: 'e2e-dlq-reader', brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `dlq-reader-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const seen: Array<{ value: string; headers: Record<string, string> }> = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${seen.length} of ${count} dead letters in ${topic}`)), 20_000);
    void consumer.run({
      eachMessage: async ({ message }) => {
        seen.push({ value: message.value?.toString() ?? '', headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])) });
        if (seen.length >= count) (clearTimeout(timer), resolve());
      },
    });
  });
  await consumer.disconnect();
  return seen;
}
