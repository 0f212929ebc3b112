import { afterEach, describe, expect, it } from 'vitest';
import { EventLoopLag } from './event-loop-lag.js';

/** Keeps the loop busy (no timer can fire) for `ms`. */
function block(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy: the point is that nothing else runs
  }
}

describe('EventLoopLag', () => {
  const lag = new EventLoopLag(50);
  afterEach(() => lag.stop());

  it('reads 0 until started', () => {
    block(100);
    expect(lag.lagMs).toBe(0);
  });

  it('while the loop is held, a request read right after sees the stall (its timer is overdue), before any tick ran', () => {
    lag.start();
    block(300);
    // The tick was due 50 ms after start: it is at least 250 ms overdue, whatever the machine.
    expect(lag.lagMs).toBeGreaterThanOrEqual(250);
  });
});
