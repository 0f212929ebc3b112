import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidAppendError, StreamDeletedError, WrongExpectedVersionError } from '../errors.js';
import { ANY, NO_STREAM, STREAM_EXISTS, type EventData, type EventStore, type RecordedEvent, type Subscription } from '../event-store.port.js';

/**
 * The contract every EventStore adapter keeps. The log may be shared between tests and may
 * already hold events (a real EventStoreDB cannot be emptied), so each test works in streams
 * of its own (a fresh prefix) and reads the log after the head it found. Positions are only
 * compared, never computed: they increase but need not be contiguous.
 */
export interface ConformanceOptions {
  /**
   * True when `deleteStream` leaves the events in `readAll` until the store reclaims them
   * (EventStoreDB: a tombstone, then a scavenge); false (default) when they go at once.
   */
  readonly deletedEventsStayInAll?: boolean;
}

export function eventStoreConformance(
  name: string,
  factory: () => Promise<{ store: EventStore; teardown(): Promise<void> }>,
  options: ConformanceOptions = {},
): void {
  describe(`EventStore conformance: ${name}`, () => {
    let store: EventStore;
    let teardown: () => Promise<void>;
    let prefix: string;
    const subscriptions: Subscription[] = [];

    beforeEach(async () => {
      ({ store, teardown } = await factory());
      prefix = `t${randomUUID().slice(0, 8)}-`;
    });

    afterEach(async () => {
      await Promise.all(subscriptions.splice(0).map((s) => s.close()));
      await teardown();
    });

    const stream = (suffix: string): string => `${prefix}${suffix}`;
    const subscribe = (...args: Parameters<EventStore['subscribeToAll']>): Subscription => {
      const subscription = store.subscribeToAll(...args);
      subscriptions.push(subscription);
      return subscription;
    };

    describe('append', () => {
      it('creates a stream with NO_STREAM and numbers revisions from 0', async () => {
        const events = [event('A'), event('B'), event('C')];
        const result = await store.append(stream('s'), events, NO_STREAM);
        expect(result.nextExpectedRevision).toBe(2n);
        const read = await store.readStream(stream('s'));
        expect(read.map((e) => [e.streamId, e.revision, e.id, e.type])).toEqual(
          events.map((e, i) => [stream('s'), BigInt(i), e.id, e.type]),
        );
        expectIncreasing(read.map((e) => e.position));
        expect(read[2].position).toBe(result.position);
        expect(await store.streamRevision(stream('s'))).toBe(2n);
      });

      it('rejects NO_STREAM on an existing stream, reporting the actual revision, and writes nothing', async () => {
        await store.append(stream('s'), [event('A'), event('B')], NO_STREAM);
        const error = await rejection(store.append(stream('s'), [event('C')], NO_STREAM));
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect(error).toMatchObject({ code: 'WRONG_EXPECTED_VERSION', streamId: stream('s'), expected: NO_STREAM, actual: 1n });
        expect((await store.readStream(stream('s'))).map((e) => e.type)).toEqual(['A', 'B']);
      });

      it('rejects STREAM_EXISTS on a missing stream and accepts it on an existing one', async () => {
        const error = await rejection(store.append(stream('s'), [event('A')], STREAM_EXISTS));
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect(error).toMatchObject({ streamId: stream('s'), expected: STREAM_EXISTS, actual: undefined });
        expect(await store.readStream(stream('s'))).toEqual([]);
        await store.append(stream('s'), [event('A')], NO_STREAM);
        expect((await store.append(stream('s'), [event('B')], STREAM_EXISTS)).nextExpectedRevision).toBe(1n);
      });

      it('accepts the exact current revision and rejects any other, reporting the actual one', async () => {
        await store.append(stream('s'), [event('A'), event('B')], NO_STREAM);
        expect((await store.append(stream('s'), [event('C')], 1n)).nextExpectedRevision).toBe(2n);
        for (const stale of [0n, 1n, 3n]) {
          const error = await rejection(store.append(stream('s'), [event('X')], stale));
          expect(error).toBeInstanceOf(WrongExpectedVersionError);
          expect(error).toMatchObject({ expected: stale, actual: 2n });
        }
        const missing = await rejection(store.append(stream('missing'), [event('X')], 0n));
        expect(missing).toMatchObject({ expected: 0n, actual: undefined });
        expect((await store.readStream(stream('s'))).map((e) => e.type)).toEqual(['A', 'B', 'C']);
        expect(await store.readStream(stream('missing'))).toEqual([]);
      });

      it('accepts ANY on a missing and on an existing stream', async () => {
        expect((await store.append(stream('s'), [event('A')], ANY)).nextExpectedRevision).toBe(0n);
        expect((await store.append(stream('s'), [event('B'), event('C')], ANY)).nextExpectedRevision).toBe(2n);
      });

      it('rejects an append without events', async () => {
        const error = await rejection(store.append(stream('s'), [], ANY));
        expect(error).toBeInstanceOf(InvalidAppendError);
        expect(await store.streamRevision(stream('s'))).toBeUndefined();
      });

      it('lets exactly one of many concurrent appends with the same expectation win', async () => {
        await store.append(stream('s'), [event('Created')], NO_STREAM);
        const outcomes = await Promise.allSettled(
          Array.from({ length: 12 }, (_, i) => store.append(stream('s'), [event(`Next${i}`), event(`Then${i}`)], 0n)),
        );
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(11);
        for (const o of lost) expect(o.reason).toMatchObject({ code: 'WRONG_EXPECTED_VERSION', actual: 2n });
        expect(await store.streamRevision(stream('s'))).toBe(2n);
        expect(await store.readStream(stream('s'))).toHaveLength(3);
      });

      it('lets exactly one of many concurrent NO_STREAM creations win', async () => {
        const outcomes = await Promise.allSettled(
          Array.from({ length: 12 }, (_, i) => store.append(stream('new'), [event(`Created${i}`)], NO_STREAM)),
        );
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        expect(await store.readStream(stream('new'))).toHaveLength(1);
      });
    });

    describe('appendMany', () => {
      it('appends several streams in request order', async () => {
        await store.append(stream('b'), [event('B0')], NO_STREAM);
        const results = await store.appendMany([
          { streamId: stream('a'), events: [event('A0'), event('A1')], expectedRevision: NO_STREAM },
          { streamId: stream('b'), events: [event('B1')], expectedRevision: 0n },
          { streamId: stream('a'), events: [event('A2')], expectedRevision: 1n },
        ]);
        expect(results.map((r) => r.nextExpectedRevision)).toEqual([1n, 1n, 2n]);
        expectIncreasing(results.map((r) => r.position));
        const all = await store.readAll({ filter: { streamPrefixes: [prefix] } });
        expect(all.map((e) => e.type)).toEqual(['B0', 'A0', 'A1', 'B1', 'A2']);
        expect(all.at(-1)?.position).toBe(results[2].position);
      });

      it('writes nothing when one expectation fails', async () => {
        await store.append(stream('b'), [event('B0')], NO_STREAM);
        const error = await rejection(
          store.appendMany([
            { streamId: stream('a'), events: [event('A0')], expectedRevision: NO_STREAM },
            { streamId: stream('b'), events: [event('B1')], expectedRevision: 5n },
            { streamId: stream('c'), events: [event('C0')], expectedRevision: ANY },
          ]),
        );
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect(error).toMatchObject({ streamId: stream('b'), expected: 5n, actual: 0n });
        expect(await store.readStream(stream('a'))).toEqual([]);
        expect(await store.readStream(stream('c'))).toEqual([]);
        expect(await store.streamRevision(stream('b'))).toBe(0n);
        expect((await store.readAll({ filter: { streamPrefixes: [prefix] } })).map((e) => e.type)).toEqual(['B0']);
      });
    });

    describe('readStream', () => {
      beforeEach(async () => {
        await store.append(stream('s'), ['E0', 'E1', 'E2', 'E3', 'E4'].map((t) => event(t)), NO_STREAM);
      });
      const types = (events: RecordedEvent[]) => events.map((e) => e.type);

      it('reads forwards from an inclusive revision with a max count', async () => {
        expect(types(await store.readStream(stream('s')))).toEqual(['E0', 'E1', 'E2', 'E3', 'E4']);
        expect(types(await store.readStream(stream('s'), { fromRevision: 2n }))).toEqual(['E2', 'E3', 'E4']);
        expect(types(await store.readStream(stream('s'), { fromRevision: 1n, maxCount: 2 }))).toEqual(['E1', 'E2']);
        expect(await store.readStream(stream('s'), { fromRevision: 5n })).toEqual([]);
      });

      it('reads backwards from the end or from an inclusive revision', async () => {
        expect(types(await store.readStream(stream('s'), { direction: 'backwards' }))).toEqual(['E4', 'E3', 'E2', 'E1', 'E0']);
        expect(types(await store.readStream(stream('s'), { direction: 'backwards', maxCount: 2 }))).toEqual(['E4', 'E3']);
        expect(types(await store.readStream(stream('s'), { direction: 'backwards', fromRevision: 2n }))).toEqual(['E2', 'E1', 'E0']);
      });

      it('reads a missing stream as empty', async () => {
        expect(await store.readStream(stream('nope'))).toEqual([]);
        expect(await store.readStream(stream('nope'), { direction: 'backwards' })).toEqual([]);
        expect(await store.streamRevision(stream('nope'))).toBeUndefined();
      });
    });

    describe('deleteStream', () => {
      it('empties the stream and leaves a tombstone that refuses every later append', async () => {
        await store.append(stream('doomed'), [event('A'), event('B')], NO_STREAM);
        await store.append(stream('kept'), [event('K')], NO_STREAM);
        await store.deleteStream(stream('doomed'));
        expect(await store.readStream(stream('doomed'))).toEqual([]);
        expect(await store.readStream(stream('doomed'), { direction: 'backwards' })).toEqual([]);
        expect(await store.streamRevision(stream('doomed'))).toBeUndefined();
        for (const expected of [NO_STREAM, ANY, STREAM_EXISTS, 1n] as const) {
          await expect(store.append(stream('doomed'), [event('Again')], expected)).rejects.toBeInstanceOf(StreamDeletedError);
        }
        await expect(
          store.appendMany([{ streamId: stream('kept'), events: [event('K2')], expectedRevision: 0n }, { streamId: stream('doomed'), events: [event('X')], expectedRevision: ANY }]),
        ).rejects.toBeInstanceOf(StreamDeletedError);
        expect((await store.readStream(stream('kept'))).map((e) => e.type)).toEqual(['K']);
      });

      it('is a no-op on a deleted stream and tombstones a name that never existed', async () => {
        await store.append(stream('twice'), [event('A')], NO_STREAM);
        await store.deleteStream(stream('twice'));
        await store.deleteStream(stream('twice'));
        expect(await store.readStream(stream('twice'))).toEqual([]);
        await store.deleteStream(stream('never'));
        await expect(store.append(stream('never'), [event('A')], NO_STREAM)).rejects.toBeInstanceOf(StreamDeletedError);
      });

      it(options.deletedEventsStayInAll ? 'keeps the events in readAll until the store reclaims them' : 'removes the events from readAll and from new subscriptions', async () => {
        await store.append(stream('gone'), [event('G0'), event('G1')], NO_STREAM);
        await store.append(stream('stays'), [event('S0')], NO_STREAM);
        await store.deleteStream(stream('gone'));
        const all = await store.readAll({ filter: { streamPrefixes: [prefix] } });
        expect(all.map((e) => e.type)).toEqual(options.deletedEventsStayInAll ? ['G0', 'G1', 'S0'] : ['S0']);
        const seen = collector();
        subscribe({ filter: { streamPrefixes: [prefix] } }, seen.handler);
        await seen.until(all.length);
        expect(seen.types()).toEqual(all.map((e) => e.type));
      });
    });

    describe('readAll and headPosition', () => {
      it('reads the log in position order, strictly after `after`, with filters', async () => {
        const head = await store.headPosition();
        await store.append(stream('order-1'), [event('Placed'), event('Paid')], NO_STREAM);
        await store.append(stream('user-1'), [event('Registered')], NO_STREAM);
        const last = await store.append(stream('order-2'), [event('Placed')], NO_STREAM);
        expect(await store.headPosition()).toBe(last.position);

        const all = await store.readAll({ after: head });
        expect(all.map((e) => `${e.streamId}:${e.type}`)).toEqual([
          `${stream('order-1')}:Placed`,
          `${stream('order-1')}:Paid`,
          `${stream('user-1')}:Registered`,
          `${stream('order-2')}:Placed`,
        ]);
        expectIncreasing(all.map((e) => e.position));
        expect((await store.readAll({ after: all[1].position })).map((e) => e.id)).toEqual([all[2].id, all[3].id]);
        expect((await store.readAll({ after: head, maxCount: 2 })).map((e) => e.id)).toEqual([all[0].id, all[1].id]);
        expect(await store.readAll({ after: last.position })).toEqual([]);

        const orders = await store.readAll({ after: head, filter: { streamPrefixes: [stream('order-')] } });
        expect(orders.map((e) => e.id)).toEqual([all[0].id, all[1].id, all[3].id]);
        const placedOrUsers = await store.readAll({ after: head, filter: { streamPrefixes: [stream('user-'), stream('order-2')] } });
        expect(placedOrUsers.map((e) => e.id)).toEqual([all[2].id, all[3].id]);
        const placed = await store.readAll({ filter: { streamPrefixes: [prefix], eventTypes: ['Placed', 'Registered'] } });
        expect(placed.map((e) => e.id)).toEqual([all[0].id, all[2].id, all[3].id]);
        const both = await store.readAll({ filter: { streamPrefixes: [stream('order-')], eventTypes: ['Placed'] }, maxCount: 1 });
        expect(both.map((e) => e.id)).toEqual([all[0].id]);
      });

      it('round-trips ids, types, data and metadata exactly', async () => {
        const data = {
          text: 'héllo wörld – 你好 – مرحبا – 🚀👩‍💻',
          nested: { list: [1, 2.5, -3, true, null, { deep: ['x', { deeper: 'y' }] }], empty: {}, none: [] },
          quote: 'a "quoted" \\ back\\slash\nnew line\ttab',
          big: 'x'.repeat(200_000),
          number: 1234567890123,
        };
        const metadata = {
          correlationId: randomUUID(),
          causationId: randomUUID(),
          actor: 'user:ünïcode',
          schemaVersion: 3,
          occurredAt: '2024-05-06T07:08:09.123Z',
          extra: { tags: ['a', 'b'] },
        };
        const written = [event('Rich', data, metadata), event('Scalar', 'just a string'), event('Null', null)];
        await store.append(stream('rich'), written, NO_STREAM);
        const [fromStream, fromAll] = [await store.readStream(stream('rich')), await store.readAll({ filter: { streamPrefixes: [stream('rich')] } })];
        for (const read of [fromStream, fromAll]) {
          expect(read.map(({ id, type, data: d, metadata: m }) => ({ id, type, data: d, metadata: m }))).toEqual(written);
          for (const e of read) expect(new Date(e.recordedAt).toISOString().slice(0, 19)).toBe(e.recordedAt.slice(0, 19));
        }
      });
    });

    describe('subscribeToAll', () => {
      it('catches up, then delivers live events in order, in batches of at most batchSize', async () => {
        const head = await store.headPosition();
        await store.append(stream('a'), ['A0', 'A1', 'A2', 'A3', 'A4'].map((t) => event(t)), NO_STREAM);
        const received = collector();
        const subscription = subscribe({ after: head, filter: { streamPrefixes: [prefix] }, batchSize: 2 }, received.handler);
        await subscription.caughtUp;
        expect(received.types()).toEqual(['A0', 'A1', 'A2', 'A3', 'A4']);
        await store.append(stream('b'), [event('B0')], NO_STREAM);
        await store.append(stream('a'), [event('A5'), event('A6'), event('A7')], 4n);
        await received.until(9);
        expect(received.types()).toEqual(['A0', 'A1', 'A2', 'A3', 'A4', 'B0', 'A5', 'A6', 'A7']);
        expectIncreasing(received.events.map((e) => e.position));
        expect(Math.max(...received.batchSizes)).toBeLessThanOrEqual(2);
      });

      it('resumes strictly after a checkpoint', async () => {
        await store.append(stream('a'), ['A0', 'A1', 'A2', 'A3'].map((t) => event(t)), NO_STREAM);
        const [, second] = await store.readStream(stream('a'));
        const received = collector();
        await subscribe({ after: second.position, filter: { streamPrefixes: [prefix] } }, received.handler).caughtUp;
        expect(received.types()).toEqual(['A2', 'A3']);
      });

      it('delivers only what the filter matches', async () => {
        const received = collector();
        const subscription = subscribe({ filter: { streamPrefixes: [prefix], eventTypes: ['Wanted'] } }, received.handler);
        await subscription.caughtUp;
        await store.append(stream('a'), [event('Unwanted'), event('Wanted'), event('Unwanted')], NO_STREAM);
        await store.append(`other-${prefix}`, [event('Wanted')], NO_STREAM);
        await store.append(stream('b'), [event('Wanted')], NO_STREAM);
        await received.until(2);
        expect(received.events.map((e) => [e.streamId, e.type])).toEqual([
          [stream('a'), 'Wanted'],
          [stream('b'), 'Wanted'],
        ]);
      });

      it('waits for the handler before delivering the next batch', async () => {
        const head = await store.headPosition();
        let running = 0;
        let overlapped = false;
        const received = collector(async () => {
          running += 1;
          overlapped ||= running > 1;
          await new Promise((resolve) => setTimeout(resolve, 5));
          running -= 1;
        });
        const subscription = subscribe({ after: head, filter: { streamPrefixes: [prefix] }, batchSize: 3 }, received.handler);
        await Promise.all(Array.from({ length: 10 }, (_, i) => store.append(stream(`s${i}`), [event('X'), event('Y')], NO_STREAM)));
        await subscription.caughtUp;
        await received.until(20);
        expect(overlapped).toBe(false);
        expectIncreasing(received.events.map((e) => e.position));
      });

      it('stops delivering after close', async () => {
        const closed = collector();
        const open = collector();
        const toClose = subscribe({ filter: { streamPrefixes: [prefix] } }, closed.handler);
        const control = subscribe({ filter: { streamPrefixes: [prefix] } }, open.handler);
        await Promise.all([toClose.caughtUp, control.caughtUp]);
        await store.append(stream('a'), [event('Before')], NO_STREAM);
        await closed.until(1);
        await toClose.close();
        await store.append(stream('a'), [event('After')], 0n);
        await open.until(2);
        expect(closed.types()).toEqual(['Before']);
      });

      it('stops and reports when the handler throws', async () => {
        await store.append(stream('a'), [event('A0'), event('A1')], NO_STREAM);
        const failure = new Error('handler failed');
        let calls = 0;
        const reported = new Promise<Error>((resolve) => {
          subscribe(
            { filter: { streamPrefixes: [prefix] }, batchSize: 1 },
            async () => {
              calls += 1;
              throw failure;
            },
            { onError: resolve },
          );
        });
        expect(await reported).toBe(failure);
        const control = collector();
        await subscribe({ filter: { streamPrefixes: [prefix] } }, control.handler).caughtUp;
        await store.append(stream('a'), [event('A2')], 1n);
        await control.until(3);
        expect(calls).toBe(1);
      });

      it('delivers every event exactly once, in increasing positions, under concurrent appenders', async () => {
        const head = await store.headPosition();
        const received = collector();
        const subscription = subscribe({ after: head, filter: { streamPrefixes: [prefix] }, batchSize: 50 }, received.handler);
        await subscription.caughtUp;
        const writers = 16;
        const appendsPerWriter = 15;
        const written: string[] = [];
        await Promise.all(
          Array.from({ length: writers }, async (_, w) => {
            for (let i = 0; i < appendsPerWriter; i++) {
              const events = i % 3 === 0 ? [event('X'), event('Y')] : [event('X')];
              written.push(...events.map((e) => e.id));
              await store.append(stream(`w${w}`), events, i === 0 ? NO_STREAM : ANY);
            }
          }),
        );
        await received.until(written.length);
        expectIncreasing(received.events.map((e) => e.position));
        expect(received.events.map((e) => e.id).sort()).toEqual([...written].sort());
      });
    });
  });
}

let counter = 0;

function event(type: string, data: unknown = { n: ++counter }, metadata: Partial<EventData['metadata']> = {}): EventData {
  return { id: randomUUID(), type, data, metadata: { schemaVersion: 1, occurredAt: '2024-01-01T00:00:00.000Z', ...metadata } };
}

function expectIncreasing(positions: bigint[]): void {
  for (let i = 1; i < positions.length; i++) {
    if (!(positions[i] > positions[i - 1])) {
      throw new Error(`positions do not strictly increase at index ${i}: ${positions[i - 1]} then ${positions[i]}`);
    }
  }
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

/** Collects what a subscription delivers; `until(n)` waits (bounded) for n events. */
function collector(onBatch?: (events: readonly RecordedEvent[]) => Promise<void>) {
  const events: RecordedEvent[] = [];
  const batchSizes: number[] = [];
  const waiters = new Set<() => void>();
  return {
    events,
    batchSizes,
    types: () => events.map((e) => e.type),
    handler: async (batch: readonly RecordedEvent[]) => {
      await onBatch?.(batch);
      events.push(...batch);
      batchSizes.push(batch.length);
      waiters.forEach((w) => w());
    },
    until: (count: number, timeoutMs = 15_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (events.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`received ${events.length} events, expected ${count}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
  };
}
