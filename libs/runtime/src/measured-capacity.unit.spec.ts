import { describe, expect, it } from 'vitest';
import { InFlightLimit } from './in-flight-limit.js';
import { MeasuredCapacity } from './measured-capacity.js';

const clock = () => {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
};

describe('MeasuredCapacity', () => {
  it('starts at the ceiling and, once the queueing delay passes the target, falls to the measured rate times the target', () => {
    const c = clock();
    const capacity = new MeasuredCapacity({ targetDelayMs: 500, floor: 4, ceiling: 200, now: c.now });
    expect(capacity.limit).toBe(200);
    // 40 executions taken up in one second, each after 2 s in the queue.
    for (let i = 0; i < 40; i++) capacity.sample(2_000);
    c.advance(1_000);
    expect(capacity.limit).toBe(20); // 40/s × 0.5 s
    expect(capacity.rate).toBe(40);
  });

  it('never falls below its floor, and a quiet window (too few reports) changes nothing', () => {
    const c = clock();
    const capacity = new MeasuredCapacity({ targetDelayMs: 100, floor: 8, ceiling: 100, now: c.now });
    for (let i = 0; i < 5; i++) capacity.sample(5_000);
    c.advance(1_000);
    expect(capacity.limit).toBe(8);
    capacity.sample(1);
    c.advance(1_000);
    expect(capacity.limit).toBe(8);
  });

  it('grows back by a tenth per window while starts reach the bound and are taken up within the target', () => {
    const c = clock();
    const capacity = new MeasuredCapacity({ targetDelayMs: 500, floor: 10, ceiling: 12, now: c.now });
    for (let i = 0; i < 10; i++) capacity.sample(10_000);
    c.advance(1_000);
    expect(capacity.limit).toBe(10);
    for (let i = 0; i < 10; i++) capacity.sample(20);
    capacity.reached();
    c.advance(1_000);
    expect(capacity.limit).toBe(11);
    // Not reached: no reason to grow.
    for (let i = 0; i < 10; i++) capacity.sample(20);
    c.advance(1_000);
    expect(capacity.limit).toBe(11);
    for (let window = 0; window < 2; window++) {
      for (let i = 0; i < 10; i++) capacity.sample(20);
      capacity.reached();
      c.advance(1_000);
    }
    expect(capacity.limit).toBe(12); // the ceiling
  });
});

describe('InFlightLimit sized from measurements', () => {
  it('refuses past the measured bound, counting each execution once, from admission to being taken up', () => {
    const c = clock();
    const limit = new InFlightLimit({ max: 100, holdMs: 60_000, now: c.now, rss: () => 0, measured: { targetDelayMs: 100, floor: 2 } });
    const ids = Array.from({ length: 6 }, (_, i) => `e${i}`);
    for (const id of ids) limit.tryAcquire()!.bind(id);
    c.advance(400);
    for (const id of ids) {
      limit.progressed(id);
      limit.progressed(id); // a second update of the same execution is not a second measurement
      limit.ended(id);
    }
    c.advance(600);
    // 6 taken up in the window, 400 ms each (> 100 ms): 6/s × 0.1 s = 1, the floor is 2.
    expect(limit.max).toBe(2);
    const slots = [limit.tryAcquire(), limit.tryAcquire()];
    expect(slots.every(Boolean)).toBe(true);
    expect(limit.tryAcquire()).toBeUndefined();
    expect(limit.atCapacity()).toBe(true);
    slots[0]!.release();
    expect(limit.tryAcquire()).toBeDefined();
  });

  it('keeps the configured bound when no target is set', () => {
    const limit = new InFlightLimit({ max: 3, holdMs: 60_000, rss: () => 0, measured: { targetDelayMs: 0, floor: 1 } });
    expect(limit.max).toBe(3);
  });
});
