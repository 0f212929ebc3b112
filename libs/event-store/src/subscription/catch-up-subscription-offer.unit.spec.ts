import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../event-store.port.js';
import { CatchUpSubscription, type ReadAfter } from './catch-up-subscription.js';

const event = (position: number, streamId = 'flow-x'): RecordedEvent => ({
  id: `e${position}`, type: 'T', data: {}, metadata: { schemaVersion: 1, occurredAt: '2025-01-01T00:00:00.000Z' }, streamId, revision: 0n, position: BigInt(position), recordedAt: '2025-01-01T00:00:00.000Z',
});
const settle = () => new Promise((r) => setTimeout(r, 10));

/** A log in memory, read as the Postgres adapter reads it, its reads recorded. */
function fakeLog(initial: number[]) {
  const log = initial.map((p) => event(p));
  const reads: (bigint | undefined)[] = [];
  const read: ReadAfter = async (after, maxCount, filter) => {
    reads.push(after);
    const events = log.filter((e) => (after === undefined || e.position > after) && (!filter?.streamPrefixes || filter.streamPrefixes.some((p) => e.streamId.startsWith(p)))).slice(0, maxCount);
    return { events, scannedTo: log.at(-1)?.position };
  };
  return { log, reads, read };
}

async function subscribed(read: ReadAfter, options: { filter?: { streamPrefixes: string[] } } = {}) {
  const delivered: bigint[] = [];
  const subscription = new CatchUpSubscription(read, options, async (batch) => void delivered.push(...batch.map((e) => e.position)), undefined, () => undefined);
  subscription.wake();
  await subscription.caughtUp;
  await settle();
  return { subscription, delivered };
}

describe('CatchUpSubscription offered appends of its own process', () => {
  it('takes an append that continues from its last position without a read', async () => {
    const { log, reads, read } = fakeLog([1, 2]);
    const { subscription, delivered } = await subscribed(read);
    log.push(event(3), event(4));
    subscription.offer({ after: 2n, events: [event(3), event(4)] });
    log.push(event(5));
    subscription.offer({ after: 4n, events: [event(5)] });
    await settle();
    expect(delivered).toEqual([1n, 2n, 3n, 4n, 5n]);
    expect(reads).toEqual([undefined]);
    await subscription.close();
  });

  it('reads instead when something lies between its last position and the append (another writer)', async () => {
    const { log, reads, read } = fakeLog([1]);
    const { subscription, delivered } = await subscribed(read);
    log.push(event(2, 'flow-other'), event(3));
    subscription.offer({ after: 2n, events: [event(3)] });
    await settle();
    expect(delivered).toEqual([1n, 2n, 3n]);
    expect(reads).toEqual([undefined, 1n]);
    await subscription.close();
  });

  it('ignores an append a read has delivered already', async () => {
    const { log, reads, read } = fakeLog([1]);
    const { subscription, delivered } = await subscribed(read);
    log.push(event(2));
    subscription.wake();
    await settle();
    subscription.offer({ after: 1n, events: [event(2)] });
    await settle();
    expect(delivered).toEqual([1n, 2n]);
    expect(reads).toEqual([undefined, 1n]);
    await subscription.close();
  });

  it('moves past the events of an append its filter drops, and takes the next one without a read', async () => {
    const { log, reads, read } = fakeLog([1]);
    const { subscription, delivered } = await subscribed(read, { filter: { streamPrefixes: ['flow-'] } });
    log.push(event(2, 'execution-a'), event(3, 'execution-b'));
    subscription.offer({ after: 1n, events: [event(2, 'execution-a'), event(3, 'execution-b')] });
    log.push(event(4, 'execution-c'), event(5));
    subscription.offer({ after: 3n, events: [event(4, 'execution-c'), event(5)] });
    await settle();
    expect(delivered).toEqual([1n, 5n]);
    expect(reads).toEqual([undefined]);
    await subscription.close();
  });

  it('reads while it has not caught up, even for an append that would continue', async () => {
    const { log, reads, read } = fakeLog([1]);
    const delivered: bigint[] = [];
    const subscription = new CatchUpSubscription(read, { after: 1n }, async (batch) => void delivered.push(...batch.map((e) => e.position)), undefined, () => undefined);
    log.push(event(2));
    subscription.offer({ after: 1n, events: [event(2)] });
    await settle();
    expect(reads).toEqual([1n]);
    expect(delivered).toEqual([2n]);
    await subscription.close();
  });

  it('takes the appends offered while its handler is busy in their order, as one batch after it', async () => {
    const { log, reads, read } = fakeLog([1]);
    const batches: bigint[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const subscription = new CatchUpSubscription(read, {}, async (batch) => {
      if (batch[0]!.position === 2n) await gate;
      batches.push(batch.map((e) => e.position));
    }, undefined, () => undefined);
    subscription.wake();
    await subscription.caughtUp;
    await settle();
    log.push(event(2));
    subscription.offer({ after: 1n, events: [event(2)] });
    await settle(); // its handler holds it
    for (const p of [3, 4, 5]) {
      log.push(event(p));
      subscription.offer({ after: BigInt(p - 1), events: [event(p)] });
    }
    await settle();
    expect(batches).toEqual([[1n]]);
    release();
    await settle();
    // One handler call for what piled up (a projection batch, not one per append).
    expect(batches).toEqual([[1n], [2n], [3n, 4n, 5n]]);
    expect(reads).toEqual([undefined]);
    await subscription.close();
  });

  it('takes the appends offered in one turn of the event loop as one batch', async () => {
    const { log, reads, read } = fakeLog([1]);
    const batches: bigint[][] = [];
    const subscription = new CatchUpSubscription(read, {}, async (batch) => void batches.push(batch.map((e) => e.position)), undefined, () => undefined);
    subscription.wake();
    await subscription.caughtUp;
    await settle();
    log.push(event(2), event(3));
    subscription.offer({ after: 1n, events: [event(2)] });
    // The other append's answer, later in the same turn of the loop (as pg's answers on two sockets read in one poll).
    queueMicrotask(() => subscription.offer({ after: 2n, events: [event(3)] }));
    await settle();
    expect(batches).toEqual([[1n], [2n, 3n]]);
    expect(reads).toEqual([undefined]);
    await subscription.close();
  });

  it('reads from the gap on when one of the appends piled up does not continue the one before', async () => {
    const { log, reads, read } = fakeLog([1]);
    const delivered: bigint[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const subscription = new CatchUpSubscription(read, {}, async (batch) => {
      if (batch[0]!.position === 2n) await gate;
      delivered.push(...batch.map((e) => e.position));
    }, undefined, () => undefined);
    subscription.wake();
    await subscription.caughtUp;
    await settle();
    log.push(event(2));
    subscription.offer({ after: 1n, events: [event(2)] });
    log.push(event(3));
    subscription.offer({ after: 2n, events: [event(3)] });
    log.push(event(4, 'flow-other'), event(5), event(6));
    subscription.offer({ after: 4n, events: [event(5)] }); // 4 came from another writer
    subscription.offer({ after: 5n, events: [event(6)] });
    release();
    await settle();
    expect(delivered).toEqual([1n, 2n, 3n, 4n, 5n, 6n]);
    expect(reads).toEqual([undefined, 3n]);
    await subscription.close();
  });
});

describe('CatchUpSubscription behind its own process\'s appends', () => {
  it('does not hold more than ten thousand handed events while its handler works: it reads them later', async () => {
    const { log, reads, read } = fakeLog([1]);
    const delivered: bigint[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const subscription = new CatchUpSubscription(read, { batchSize: 20_000 }, async (batch) => {
      if (batch[0]!.position === 2n) await gate;
      delivered.push(...batch.map((e) => e.position));
    }, undefined, () => undefined);
    subscription.wake();
    await subscription.caughtUp;
    log.push(event(2));
    subscription.offer({ after: 1n, events: [event(2)] });
    await settle(); // its handler holds it
    const big = Array.from({ length: 6_000 }, (_, i) => event(3 + i));
    log.push(...big);
    subscription.offer({ after: 2n, events: big.slice(0, 3_000) });
    subscription.offer({ after: 3_002n, events: big.slice(3_000) });
    subscription.offer({ after: 6_002n, events: [event(6_003)] });
    log.push(event(6_003));
    const more = Array.from({ length: 5_000 }, (_, i) => event(6_004 + i));
    log.push(...more);
    subscription.offer({ after: 6_003n, events: more });
    release();
    await settle();
    expect(delivered).toEqual(Array.from({ length: 11_003 }, (_, i) => BigInt(i + 1)));
    expect(delivered.at(-1)).toBe(11_003n);
    expect(reads).toEqual([undefined, 2n]);
    await subscription.close();
  });
});
