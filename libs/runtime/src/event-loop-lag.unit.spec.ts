import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventLoopLag } from './event-loop-lag.js';

/**
 * The loop driven by hand: `clock` is what the lag reads as now, and the fake timers fire its tick.
 * `tick(late)` is a tick that fires `late` ms after it was due; `stall(ms)` is the loop held with no
 * tick run, as a request read in the same turn would see it.
 */
describe('EventLoopLag', () => {
  let clock = 0;
  let lag: EventLoopLag;
  const tick = (lateMs: number) => {
    clock += 50 + lateMs;
    vi.advanceTimersByTime(50);
  };
  const stall = (ms: number) => {
    clock += ms;
  };

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    clock = 0;
    lag = new EventLoopLag(50, () => clock);
  });
  afterEach(() => {
    lag.stop();
    vi.useRealTimers();
  });

  it('reads 0 until started', () => {
    stall(400);
    expect(lag.lagMs).toBe(0);
  });

  it('one stall is not lag: neither while it lasts nor after its late tick', () => {
    lag.start();
    tick(0);
    stall(350);
    expect(lag.lagMs).toBe(0);
    vi.advanceTimersByTime(50);
    expect(lag.lagMs).toBe(0);
    tick(0);
    expect(lag.lagMs).toBe(0);
  });

  it('a loop late tick after tick is lagging, from its second late reading, and a request read during the second stall sees it', () => {
    lag.start();
    tick(300);
    expect(lag.lagMs).toBe(0);
    stall(250);
    // The tick is 200 ms overdue now, after a tick 300 ms late: the lower of the two.
    expect(lag.lagMs).toBe(200);
    vi.advanceTimersByTime(50);
    expect(lag.lagMs).toBe(200);
    // Each reading pairs with the one before: 200 then 400 reads 200, 400 then 400 reads 400.
    tick(400);
    expect(lag.lagMs).toBe(200);
    tick(400);
    expect(lag.lagMs).toBe(400);
  });

  it('reads 0 again once a tick is on time', () => {
    lag.start();
    tick(300);
    tick(300);
    expect(lag.lagMs).toBe(300);
    tick(0);
    expect(lag.lagMs).toBe(0);
  });

  it('reads 0 once stopped', () => {
    lag.start();
    tick(300);
    tick(300);
    lag.stop();
    expect(lag.lagMs).toBe(0);
  });
});
