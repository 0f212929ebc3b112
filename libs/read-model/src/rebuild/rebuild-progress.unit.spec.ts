import { describe, expect, it } from 'vitest';
import { RebuildProgress } from './rebuild-progress.js';

describe('RebuildProgress', () => {
  it('reports events per second over the run and an ETA from the positions left', () => {
    const progress = new RebuildProgress(100n, 1_100n, 40, 0);
    progress.batch(200, 300n);
    progress.batch(200, 500n);
    // 400 events and 400 positions in 2 s; 600 positions left at 200 positions/s.
    expect(progress.snapshot(2_000)).toEqual({ position: 500n, head: 1_100n, eventsProjected: 440, eventsPerSecond: 200, etaSeconds: 3 });
  });

  it('has no ETA before the first batch and 0 at the head', () => {
    const progress = new RebuildProgress(undefined, 50n, 0, 0);
    expect(progress.snapshot(1_000).etaSeconds).toBeUndefined();
    progress.batch(50, 50n);
    expect(progress.snapshot(1_000)).toMatchObject({ etaSeconds: 0, eventsPerSecond: 50 });
  });
});
