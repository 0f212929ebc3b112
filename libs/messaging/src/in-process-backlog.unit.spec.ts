import { describe, expect, it } from 'vitest';
import { InProcessMessageBus } from './in-process-message-bus.js';

/** Lets every queued promise callback run (no clock involved). */
const flush = async () => {
  for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

describe('InProcessMessageBus backlog ceiling (bounded memory while consumers lag)', () => {
  it('waitForRoom holds a publisher while a topic holds maxBacklog records, and lets it go once the consumer catches up', async () => {
    const bus = new InProcessMessageBus({ partitions: 1, maxBacklog: 10 });
    await bus.ensureTopics(['commands']);
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    let handled = 0;
    await bus.consume({ topic: 'commands', groupId: 'executor' }, async () => {
      await blocked;
      handled++;
    });
    await bus.publish('commands', Array.from({ length: 10 }, (_, i) => ({ key: 'k', value: i })));
    let room = false;
    void bus.waitForRoom('commands').then(() => (room = true));
    await flush();
    expect(room).toBe(false);
    expect(bus.retained('commands')).toHaveLength(10);
    release();
    await flush();
    expect(handled).toBe(10);
    expect(room).toBe(true);
    expect(bus.retained('commands').length).toBeLessThan(10);
    await bus.close();
  });

  it('never waits on a topic nobody consumes (nothing would drain it)', async () => {
    const bus = new InProcessMessageBus({ partitions: 1, maxBacklog: 2 });
    await bus.ensureTopics(['orphan']);
    await bus.publish('orphan', [1, 2, 3].map((value) => ({ key: 'k', value })));
    await expect(bus.waitForRoom('orphan')).resolves.toBeUndefined();

    await bus.close();
  });
});
