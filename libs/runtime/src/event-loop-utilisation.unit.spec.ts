import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventLoopUtilisation } from './event-loop-utilisation.js';

/**
 * The loop driven by hand: `times` is what the source reads (cumulative idle and active ms, as
 * performance.eventLoopUtilization gives them), and the fake timers fire the marks (every 50 ms
 * for a 200 ms window).
 */
describe('EventLoopUtilisation', () => {
  let times = { idle: 0, active: 0 };
  let elu: EventLoopUtilisation;
  /** `ms` of wall time of which `busy` ran code; the mark timer fires at each 50 ms boundary. */
  const pass = (ms: number, busy: number) => {
    for (let t = 0; t < ms; t += 50) {
      const share = busy / ms;
      times = { idle: times.idle + 50 * (1 - share), active: times.active + 50 * share };
      vi.advanceTimersByTime(50);
    }
  };

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    times = { idle: 0, active: 0 };
    elu = new EventLoopUtilisation(200, () => times);
  });
  afterEach(() => {
    elu.stop();
    vi.useRealTimers();
  });

  it('reads 0 until started', () => {
    times = { idle: 0, active: 500 };
    expect(elu.utilisation).toBe(0);
  });

  it('reads the share of the last window the loop ran code, forgetting what came before it', () => {
    elu.start();
    pass(1000, 1000);
    expect(elu.utilisation).toBeCloseTo(1);
    pass(400, 100);
    expect(elu.utilisation).toBeCloseTo(0.25);
    pass(400, 0);
    expect(elu.utilisation).toBe(0);
  });

  it('counts the busy stretch in progress: a request read right after a long run of code sees it, before any mark fires', () => {
    elu.start();
    pass(400, 0);
    // 300 ms of code with no timer run (one long turn of the loop).
    times = { idle: times.idle, active: times.active + 300 };
    expect(elu.utilisation).toBeGreaterThan(0.6);
  });

  it('stops: reads 0 again', () => {
    elu.start();
    pass(400, 400);
    elu.stop();
    expect(elu.utilisation).toBe(0);
  });
});
