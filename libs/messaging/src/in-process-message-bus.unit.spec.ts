import { uniqueTopicPrefix } from '@chronicle/testing';
import { describe, expect, it } from 'vitest';
import { UnknownTopicError } from './message-bus.port.js';
import { InProcessMessageBus } from './in-process-message-bus.js';
import { messageBusContract } from './test-support/message-bus.contract.js';

messageBusContract('in-process', {
  createBus: () => new InProcessMessageBus({ retryBackoff: { initialMs: 5, maxMs: 50 }, onHandlerError: () => undefined }),
  uniquePrefix: () => uniqueTopicPrefix('bus'),
  publishRaw: (bus, topic, key, value) => bus.publishRaw(topic, key, value),
  readRaw: async (bus, topic, count) => bus.retained(topic).slice(0, count),
});

describe('InProcessMessageBus', () => {
  it('rejects topics that ensureTopics did not create', async () => {
    const bus = new InProcessMessageBus();
    await expect(bus.publish('missing', [{ key: 'k', value: 1 }])).rejects.toBeInstanceOf(UnknownTopicError);
    await expect(bus.consume({ topic: 'missing', groupId: 'g' }, async () => undefined)).rejects.toMatchObject({ code: 'UNKNOWN_TOPIC' });
  });

  it('resolves publish without waiting for handlers, which get a JSON copy of the value', async () => {
    const bus = new InProcessMessageBus();
    await bus.ensureTopics(['t']);
    const seen: unknown[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await bus.consume({ topic: 't', groupId: 'g' }, async (m) => {
      seen.push(m.value);
      await released;
    });
    await bus.publish('t', [{ key: 'k', value: { at: new Date('2026-01-02T03:04:05.000Z') } }]);
    await bus.publish('t', [{ key: 'k', value: 'second' }]);
    expect(seen).toEqual([{ at: '2026-01-02T03:04:05.000Z' }]);
    release();
    await bus.close();
  });

  it('hands every group the same frozen copy: what the publisher changes later and what a consumer tries to change reach no one', async () => {
    const bus = new InProcessMessageBus({ retryBackoff: { initialMs: 5, maxMs: 50 }, onHandlerError: () => undefined });
    await bus.ensureTopics(['t']);
    const seen: Record<string, unknown>[] = [];
    const refused: unknown[] = [];
    let done!: () => void;
    const both = new Promise<void>((resolve) => (done = resolve));
    // The handlers wait: the record stays in the topic (unhandled) while its text is read below.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    for (const groupId of ['a', 'b']) {
      await bus.consume<{ n: number; inner: { list: number[] } }>({ topic: 't', groupId }, async (m) => {
        try {
          m.value.inner.list.push(99);
        } catch (error) {
          refused.push(error);
        }
        seen.push(m.value);
        if (seen.length === 2) done();
        await released;
      });
    }
    const value = { n: 1, inner: { list: [1] } };
    await bus.publish('t', [{ key: 'k', value }]);
    value.inner.list.push(2);
    await both;
    expect(seen).toEqual([{ n: 1, inner: { list: [1] } }, { n: 1, inner: { list: [1] } }]);
    expect(refused.map((e) => e instanceof TypeError)).toEqual([true, true]);
    // The record's text, made when asked (a raw consumer, a dead letter), is the value's JSON.
    expect(bus.retained('t').map((r) => r.value)).toEqual(['{"n":1,"inner":{"list":[1]}}']);
    release();
    await bus.close();
  });

  it('starts a new group at the end of the log when fromBeginning is false', async () => {
    const bus = new InProcessMessageBus();
    await bus.ensureTopics(['t']);
    await bus.publish('t', [{ key: 'k', value: 'old' }]);
    const seen: unknown[] = [];
    let delivered!: () => void;
    const done = new Promise<void>((resolve) => (delivered = resolve));
    await bus.consume({ topic: 't', groupId: 'late', fromBeginning: false }, async (m) => {
      seen.push(m.value);
      delivered();
    });
    await bus.publish('t', [{ key: 'k', value: 'new' }]);
    await done;
    expect(seen).toEqual(['new']);
    await bus.close();
  });
});
