import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../event-store.port.js';
import { CatchUpSubscription, type ReadAfter } from './catch-up-subscription.js';

const event = (position: number): RecordedEvent => ({
  id: `e${position}`, type: 'Flowed', data: {}, metadata: { schemaVersion: 1, occurredAt: '2025-01-01T00:00:00.000Z' }, streamId: 'flow-x', revision: 0n, position: BigInt(position), recordedAt: '2025-01-01T00:00:00.000Z',
});

/** A log of `head` events of which only `matching` pass the filter, read the way the Postgres adapter does. */
function log(matching: number[], head: () => number) {
  const reads: (bigint | undefined)[] = [];
  const read: ReadAfter = async (after, maxCount) => {
    reads.push(after);
    const events = matching.filter((p) => after === undefined || BigInt(p) > after).slice(0, maxCount).map(event);
    return { events, scannedTo: BigInt(head()) };
  };
  return { reads, read };
}

const settle = () => new Promise((r) => setTimeout(r, 10));

describe('CatchUpSubscription', () => {
  it('moves past the events its filter skipped: the next read starts at the head the last one saw', async () => {
    let head = 1000;
    const { reads, read } = log([3], () => head);
    const delivered: bigint[] = [];
    const subscription = new CatchUpSubscription(read, { batchSize: 100 }, async (batch) => void delivered.push(...batch.map((e) => e.position)), undefined, () => undefined);
    subscription.wake();
    await settle();
    head = 2000; // a thousand appends to other streams
    subscription.wake();
    await settle();
    expect(delivered).toEqual([3n]);
    expect(reads).toEqual([undefined, 1000n]);
    await subscription.close();
  });

  it('keeps reading after the last delivered event while batches are full (the head says nothing then)', async () => {
    const { reads, read } = log([1, 2, 3, 4, 5], () => 900);
    const delivered: bigint[] = [];
    const subscription = new CatchUpSubscription(read, { batchSize: 2 }, async (batch) => void delivered.push(...batch.map((e) => e.position)), undefined, () => undefined);
    subscription.wake();
    await settle();
    expect(delivered).toEqual([1n, 2n, 3n, 4n, 5n]);
    expect(reads).toEqual([undefined, 2n, 4n]);
    await subscription.close();
  });
});
