import { describe, expect, it } from 'vitest';
import type { EventFilter, RecordedEvent } from '../event-store.port.js';
import { matchesFilter } from '../append-request.validation.js';
import { CoalescingReader } from './coalescing-reader.js';
import type { ReadAfter } from './catch-up-subscription.js';

const event = (position: number, streamId: string, type = 'Happened'): RecordedEvent => ({
  id: `e${position}`, type, data: {}, metadata: { schemaVersion: 1, occurredAt: '2025-01-01T00:00:00.000Z' }, streamId, revision: 0n, position: BigInt(position), recordedAt: '2025-01-01T00:00:00.000Z',
});

/** A log read the way the Postgres adapter reads it (filter, then limit; the head in the same snapshot). */
function logOf(events: RecordedEvent[]) {
  const reads: { after: bigint | undefined; maxCount: number; filter: EventFilter | undefined }[] = [];
  const read: ReadAfter = async (after, maxCount, filter) => {
    reads.push({ after, maxCount, filter });
    const found = events.filter((e) => (after === undefined || e.position > after) && matchesFilter(e, filter)).slice(0, maxCount);
    return { events: found, scannedTo: events.at(-1)?.position };
  };
  return { reads, read };
}

const positions = (r: { events: RecordedEvent[] }) => r.events.map((e) => Number(e.position));

describe('CoalescingReader', () => {
  const log = [event(1, 'flow-a'), event(2, 'execution-1', 'ExecutionCreated'), event(3, 'execution-1', 'TaskRunCreated'), event(4, 'flow-a'), event(5, 'execution-2', 'ExecutionCreated')];

  it('serves the reads of one tick with one unfiltered read, each filtered as its own query would be', async () => {
    const { reads, read } = logOf(log);
    const reader = new CoalescingReader(read);
    const [flows, executions, created, recent] = await Promise.all([
      reader.read(undefined, 100, { streamPrefixes: ['flow-'] }),
      reader.read(1n, 100, { streamPrefixes: ['execution-'] }),
      reader.read(undefined, 100, { streamPrefixes: ['execution-'], eventTypes: ['ExecutionCreated'] }),
      reader.read(3n, 100, undefined),
    ]);
    expect(reads).toHaveLength(1);
    expect(reads[0]!.filter).toBeUndefined();
    expect(positions(flows)).toEqual([1, 4]);
    expect(positions(executions)).toEqual([2, 3, 5]);
    expect(positions(created)).toEqual([2, 5]);
    expect(positions(recent)).toEqual([4, 5]);
    // Short answers say how far the log was looked at, so filtered subscriptions move past what they skipped.
    for (const answer of [flows, executions, created, recent]) expect(answer.scannedTo).toBe(5n);
  });

  it('answers a full batch without scannedTo (the subscription reads again from its last event)', async () => {
    const { read } = logOf(log);
    const reader = new CoalescingReader(read);
    const [two, all] = await Promise.all([reader.read(undefined, 2, undefined), reader.read(undefined, 100, undefined)]);
    expect(positions(two)).toEqual([1, 2]);
    expect(two.scannedTo).toBeUndefined();
    expect(positions(all)).toEqual([1, 2, 3, 4, 5]);
  });

  it('a read alone in its tick is passed through with its own filter', async () => {
    const { reads, read } = logOf(log);
    const reader = new CoalescingReader(read);
    const only = await reader.read(2n, 100, { eventTypes: ['ExecutionCreated'] });
    expect(positions(only)).toEqual([5]);
    expect(reads).toEqual([{ after: 2n, maxCount: 100, filter: { eventTypes: ['ExecutionCreated'] } }]);
  });

  it('a subscription beyond the rows a truncated shared read reached reads for itself', async () => {
    const many = Array.from({ length: 1500 }, (_, i) => event(i + 1, `execution-${i}`));
    const { reads, read } = logOf(many);
    const reader = new CoalescingReader(read);
    const [laggard, current] = await Promise.all([reader.read(undefined, 10, undefined), reader.read(1200n, 500, undefined)]);
    expect(positions(laggard)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(positions(current)).toEqual(Array.from({ length: 300 }, (_, i) => 1201 + i));
    expect(current.scannedTo).toBe(1500n);
    expect(reads.map((r) => r.after)).toEqual([undefined, 1200n]);
  });

  it('a filtered subscription whose batch a truncated shared read did not fill gets the rest from its own read (a short batch means caught up)', async () => {
    // One large decision: most rows do not pass the relay-like filter, the one it waits for comes after the shared rows.
    const many = [...Array.from({ length: 1200 }, (_, i) => event(i + 1, 'execution-big', 'TaskRunStarted')), event(1201, 'execution-new', 'ExecutionCreated')];
    const { reads, read } = logOf(many);
    const reader = new CoalescingReader(read);
    const [relay, projection] = await Promise.all([
      reader.read(undefined, 1000, { eventTypes: ['ExecutionCreated'] }),
      reader.read(undefined, 1000, undefined),
    ]);
    expect(positions(relay)).toEqual([1201]);
    expect(relay.scannedTo).toBe(1201n);
    expect(positions(projection)).toHaveLength(1000);
    expect(projection.scannedTo).toBeUndefined();
    expect(reads.map((r) => r.after)).toEqual([undefined, 1000n]);
  });

  it('a failed shared read fails every read it served (each subscription retries)', async () => {
    const reader = new CoalescingReader(async () => {
      throw new Error('connection lost');
    });
    const results = await Promise.allSettled([reader.read(undefined, 10, undefined), reader.read(1n, 10, undefined)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
