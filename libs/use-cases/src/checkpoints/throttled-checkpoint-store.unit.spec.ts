import { describe, expect, it } from 'vitest';
import type { CheckpointStore } from './checkpoint-store.port.js';
import { ThrottledCheckpointStore } from './throttled-checkpoint-store.js';

/** Counts the writes that reach the real store (kept in memory). */
class CountingStore implements CheckpointStore {
  private readonly positions = new Map<string, bigint>();
  writes = 0;
  failNext = false;
  async load(name: string) {
    return this.positions.get(name);
  }
  async save(name: string, position: bigint) {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('checkpoint table unreachable');
    }
    this.writes++;
    const current = this.positions.get(name);
    if (current === undefined || position > current) this.positions.set(name, position);
  }
}

function throttled(inner: CheckpointStore) {
  const clock = { t: 0 };
  return { clock, store: new ThrottledCheckpointStore(inner, 250, () => undefined, () => clock.t) };
}

describe('ThrottledCheckpointStore', () => {
  it('writes the first save at once, keeps the later ones of the interval, and flush writes the newest', async () => {
    const inner = new CountingStore();
    const { clock, store } = throttled(inner);
    await store.save('relay', 10n);
    expect(await inner.load('relay')).toBe(10n);
    for (const p of [11n, 12n, 13n]) {
      clock.t += 10;
      await store.save('relay', p);
    }
    expect(inner.writes).toBe(1);
    expect(await inner.load('relay')).toBe(10n);
    await store.flush();
    expect(inner.writes).toBe(2);
    expect(await inner.load('relay')).toBe(13n);
  });

  it('writes at once again after the interval', async () => {
    const inner = new CountingStore();
    const { clock, store } = throttled(inner);
    await store.save('relay', 1n);
    clock.t += 250;
    await store.save('relay', 2n);
    expect(inner.writes).toBe(2);
    expect(await inner.load('relay')).toBe(2n);
  });

  it('an immediate write that fails reaches the caller (its batch is handled again); a kept one that fails is kept for the next flush', async () => {
    const inner = new CountingStore();
    const { clock, store } = throttled(inner);
    inner.failNext = true;
    await expect(store.save('relay', 5n)).rejects.toThrow('unreachable');
    await store.save('relay', 5n);
    clock.t += 1;
    await store.save('relay', 6n);
    inner.failNext = true;
    await expect(store.flush()).rejects.toThrow('unreachable');
    await store.flush();
    expect(await inner.load('relay')).toBe(6n);
  });

  it('keeps names apart', async () => {
    const inner = new CountingStore();
    const { store } = throttled(inner);
    await store.save('a', 1n);
    await store.save('b', 7n);
    expect([await inner.load('a'), await inner.load('b')]).toEqual([1n, 7n]);
  });
});
