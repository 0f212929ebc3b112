import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OffsetCommitter, type PartitionOffset } from './offset-committer.js';

/** A committer over a recorded commit request; `refuse` makes the next requests fail. */
function committer(intervalMs = 1000) {
  const requests: PartitionOffset[][] = [];
  const errors: unknown[] = [];
  const broker = { refuse: false };
  const c = new OffsetCommitter(
    async (offsets) => {
      requests.push([...offsets]);
      if (broker.refuse) throw new Error('The coordinator is not aware of this member');
    },
    intervalMs,
    (error) => errors.push(error),
  );
  return { c, requests, errors, broker };
}

describe('OffsetCommitter', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('commits the first record done at once, as the offset after it', async () => {
    const { c, requests } = committer();
    c.done(0, '41');
    await vi.advanceTimersByTimeAsync(0);
    expect(requests).toEqual([[{ partition: 0, offset: '42' }]]);
    expect(c.uncommitted.size).toBe(0);
  });

  it('sends the records done within an interval as ONE trailing commit of each partition\'s latest offset', async () => {
    const { c, requests } = committer();
    c.done(0, '0');
    await vi.advanceTimersByTimeAsync(0);
    for (let offset = 1; offset <= 50; offset++) c.done(offset % 2, String(offset));
    await vi.advanceTimersByTimeAsync(999);
    expect(requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(requests).toHaveLength(2);
    expect(requests[1]!.sort((a, b) => a.partition - b.partition)).toEqual([
      { partition: 0, offset: '51' },
      { partition: 1, offset: '50' },
    ]);
    // Nothing left: no further request however long it waits.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(requests).toHaveLength(2);
  });

  it('keeps offsets a refused commit carried and sends them with the next, an interval later', async () => {
    const { c, requests, errors, broker } = committer();
    broker.refuse = true;
    c.done(3, '7');
    await vi.advanceTimersByTimeAsync(0);
    expect(errors).toHaveLength(1);
    expect(c.uncommitted.get(3)).toBe('8');
    broker.refuse = false;
    await vi.advanceTimersByTimeAsync(1000);
    expect(requests).toEqual([[{ partition: 3, offset: '8' }], [{ partition: 3, offset: '8' }]]);
    expect(c.uncommitted.size).toBe(0);
  });

  it('flush commits at once what is done (a member about to leave or rebalance)', async () => {
    const { c, requests } = committer();
    c.done(0, '1');
    await vi.advanceTimersByTimeAsync(0);
    c.done(0, '2');
    await c.flush();
    expect(requests).toEqual([[{ partition: 0, offset: '2' }], [{ partition: 0, offset: '3' }]]);
  });

  it('forgets what a new assignment makes stale: nothing of it is committed later', async () => {
    const { c, requests } = committer();
    c.done(0, '1');
    await vi.advanceTimersByTimeAsync(0);
    c.done(0, '2');
    c.forget();
    await vi.advanceTimersByTimeAsync(5000);
    expect(requests).toEqual([[{ partition: 0, offset: '2' }]]);
  });

  it('keeps a record done while a commit was out for the next commit', async () => {
    let release!: () => void;
    const requests: PartitionOffset[][] = [];
    const c = new OffsetCommitter(
      (offsets) => {
        requests.push([...offsets]);
        return requests.length === 1 ? new Promise<void>((r) => (release = r)) : Promise.resolve();
      },
      1000,
      () => undefined,
    );
    c.done(0, '1');
    await vi.advanceTimersByTimeAsync(0);
    c.done(0, '5');
    release();
    await vi.advanceTimersByTimeAsync(1000);
    expect(requests).toEqual([[{ partition: 0, offset: '2' }], [{ partition: 0, offset: '6' }]]);
  });
});
