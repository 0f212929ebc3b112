import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConsumerReplacer, type ReplaceableConsumer } from './consumer-replacer.js';

interface Instance {
  readonly n: number;
  started: boolean;
  disposed: boolean;
}

/** Instances numbered from 1; `start` fails while `brokerDown` is true, as kafkajs's connect does. */
function instances() {
  const made: Instance[] = [];
  const state = { brokerDown: false };
  const consumer: ReplaceableConsumer<Instance> = {
    create: () => {
      const instance = { n: made.length + 1, started: false, disposed: false };
      made.push(instance);
      return instance;
    },
    start: async (instance) => {
      if (state.brokerDown) throw new Error('Connection error: connect ECONNREFUSED');
      instance.started = true;
    },
    dispose: async (instance) => {
      instance.disposed = true;
    },
  };
  return { made, state, consumer };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('ConsumerReplacer', () => {
  it('keeps replacing a crashed consumer while its replacements cannot start, until one does', async () => {
    vi.useFakeTimers();
    const { made, state, consumer } = instances();
    const failures: unknown[] = [];
    const replacer = new ConsumerReplacer(consumer, 1000, (error) => failures.push(error));
    await replacer.start();
    // A crash kafkajs does not restart from, while the broker is (still) down.
    state.brokerDown = true;
    replacer.replace(made[0]!);
    await vi.advanceTimersByTimeAsync(1000);
    await vi.advanceTimersByTimeAsync(1000);
    expect(failures).toHaveLength(2);
    expect(made.filter((i) => i.started)).toHaveLength(1);
    // The broker is back: the next attempt starts a consumer, and the attempts stop.
    state.brokerDown = false;
    await vi.advanceTimersByTimeAsync(1000);
    expect(replacer.current?.started).toBe(true);
    expect(made.map((i) => i.n)).toEqual([1, 2, 3, 4]);
    await vi.advanceTimersByTimeAsync(5000);
    expect(made).toHaveLength(4);
    expect(made.slice(0, 3).every((i) => i.disposed)).toBe(true);
    await replacer.stop();
  });

  it('replaces an instance only once, and never one that is no longer current', async () => {
    vi.useFakeTimers();
    const { made, consumer } = instances();
    const replacer = new ConsumerReplacer(consumer, 1000, () => undefined);
    await replacer.start();
    const first = made[0]!;
    replacer.replace(first);
    replacer.replace(first);
    await vi.advanceTimersByTimeAsync(1000);
    expect(made).toHaveLength(2);
    // A late crash event of the replaced instance changes nothing.
    replacer.replace(first);
    await vi.advanceTimersByTimeAsync(2000);
    expect(made).toHaveLength(2);
    expect(replacer.current).toBe(made[1]);
    await replacer.stop();
  });

  it('starts nothing after stop, and disposes of the current instance', async () => {
    vi.useFakeTimers();
    const { made, consumer } = instances();
    const replacer = new ConsumerReplacer(consumer, 1000, () => undefined);
    await replacer.start();
    replacer.replace(made[0]!);
    await replacer.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(made).toHaveLength(1);
    expect(made[0]!.disposed).toBe(true);
  });
});
