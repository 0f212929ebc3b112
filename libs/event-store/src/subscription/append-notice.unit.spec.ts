import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../event-store.port.js';
import { concerns, parseAppendNotice, streamCategory } from './append-notice.js';
import { CatchUpSubscription, type ReadAfter } from './catch-up-subscription.js';

describe('parseAppendNotice', () => {
  it('reads the notice, and a bare position as writers before notices sent it', () => {
    expect(parseAppendNotice('{"p":"42","s":["execution-"],"t":["ExecutionCreated"]}')).toEqual({ lastPosition: 42n, streamCategories: ['execution-'], eventTypes: ['ExecutionCreated'] });
    expect(parseAppendNotice('9007199254740993')).toEqual({ lastPosition: 9007199254740993n });
    // The appending store's name for itself (its own appends it hands over: OwnAppends).
    expect(parseAppendNotice('{"p" : "7", "s" : ["flow-"], "t" : ["T"], "w" : "a1"}')).toEqual({ lastPosition: 7n, streamCategories: ['flow-'], eventTypes: ['T'], writer: 'a1' });
    expect(parseAppendNotice('{"p":"7","w":null}')).toEqual({ lastPosition: 7n });
  });

  it('makes no notice of anything else (every subscription then reads)', () => {
    for (const payload of [undefined, '', 'x', '{"p":42}', '{"s":["a-"]}', '{"p":"-1"}', '[1]', '{"p":"1"']) expect(parseAppendNotice(payload)).toBeUndefined();
    expect(parseAppendNotice('{"p":"3","s":[1],"t":"x"}')).toEqual({ lastPosition: 3n });
  });
});

describe('concerns', () => {
  const notice = { lastPosition: 10n, streamCategories: ['execution-'], eventTypes: ['ExecutionCreated', 'ExecutionSucceeded'] };

  it('is false for an append at or below what the subscription has read', () => {
    expect(concerns(notice, 10n, undefined)).toBe(false);
    expect(concerns(notice, 11n, undefined)).toBe(false);
    expect(concerns(notice, 9n, undefined)).toBe(true);
    expect(concerns(notice, undefined, undefined)).toBe(true);
  });

  it('is false when no stream of the append can start with a prefix of the filter', () => {
    expect(concerns(notice, 1n, { streamPrefixes: ['flow-'] })).toBe(false);
    expect(concerns(notice, 1n, { streamPrefixes: ['flow-', 'execution-'] })).toBe(true);
    // A prefix longer than the category may still match: only a read can tell.
    expect(concerns(notice, 1n, { streamPrefixes: ['execution-abc'] })).toBe(true);
    expect(concerns(notice, 1n, { streamPrefixes: ['exec'] })).toBe(true);
    // A stream id without '-' is its own category.
    expect(concerns({ lastPosition: 5n, streamCategories: ['counter'] }, 1n, { streamPrefixes: ['count'] })).toBe(true);
    expect(concerns({ lastPosition: 5n, streamCategories: ['counter'] }, 1n, { streamPrefixes: ['other-'] })).toBe(false);
  });

  it('is false when none of the append\'s types is one the filter takes', () => {
    expect(concerns(notice, 1n, { eventTypes: ['TaskRunCreated'] })).toBe(false);
    expect(concerns(notice, 1n, { eventTypes: ['TaskRunCreated', 'ExecutionSucceeded'] })).toBe(true);
    expect(concerns(notice, 1n, { streamPrefixes: ['execution-'], eventTypes: ['TaskRunCreated'] })).toBe(false);
  });

  it('is true whenever the notice does not say (a bare position)', () => {
    expect(concerns({ lastPosition: 10n }, 1n, { streamPrefixes: ['flow-'], eventTypes: ['FlowDeleted'] })).toBe(true);
  });

  it('agrees with the categories of real stream ids', () => {
    expect(['execution-0f8c', 'flow-ns.id', 'flow-', 'plain', 'a-b-c'].map(streamCategory)).toEqual(['execution-', 'flow-', 'flow-', 'plain', 'a-']);
    for (const id of ['execution-0f8c', 'flow-ns.id', 'plain', 'a-b-c', 'abc-d'])
      for (const prefix of ['execution-', 'flow-', 'flow-ns', 'pl', 'a-b', 'ab', 'x-'])
        if (id.startsWith(prefix)) expect(concerns({ lastPosition: 2n, streamCategories: [streamCategory(id)] }, 1n, { streamPrefixes: [prefix] })).toBe(true);
  });
});

describe('CatchUpSubscription woken with a notice', () => {
  const event = (position: number, streamId = 'flow-x'): RecordedEvent => ({
    id: `e${position}`, type: 'FlowRevisionDeployed', data: {}, metadata: { schemaVersion: 1, occurredAt: '2025-01-01T00:00:00.000Z' }, streamId, revision: 0n, position: BigInt(position), recordedAt: '2025-01-01T00:00:00.000Z',
  });
  const settle = () => new Promise((r) => setTimeout(r, 10));

  it('reads for an append it may want, and not for one it cannot want or has read past', async () => {
    let log: RecordedEvent[] = [event(1)];
    const reads: (bigint | undefined)[] = [];
    const read: ReadAfter = async (after) => {
      reads.push(after);
      const events = log.filter((e) => (after === undefined || e.position > after) && e.streamId.startsWith('flow-'));
      return { events, scannedTo: log.at(-1)!.position };
    };
    const delivered: bigint[] = [];
    const subscription = new CatchUpSubscription(read, { filter: { streamPrefixes: ['flow-'] } }, async (batch) => void delivered.push(...batch.map((e) => e.position)), undefined, () => undefined);
    subscription.wake();
    await settle();
    expect(reads).toEqual([undefined]);
    // Appends of executions only: no read.
    log = [...log, event(2, 'execution-a'), event(3, 'execution-b')];
    subscription.wake({ lastPosition: 2n, streamCategories: ['execution-'], eventTypes: ['ExecutionCreated'] });
    subscription.wake({ lastPosition: 3n, streamCategories: ['execution-'], eventTypes: ['ExecutionCreated'] });
    await settle();
    expect(reads).toEqual([undefined]);
    // A flow append: read from the last position, the skipped executions' events dropped by the filter.
    log = [...log, event(4)];
    subscription.wake({ lastPosition: 4n, streamCategories: ['flow-'], eventTypes: ['FlowRevisionDeployed'] });
    await settle();
    expect(reads).toEqual([undefined, 1n]);
    expect(delivered).toEqual([1n, 4n]);
    // Its notice arriving again (or late, after a read that saw it): no read.
    subscription.wake({ lastPosition: 4n, streamCategories: ['flow-'], eventTypes: ['FlowRevisionDeployed'] });
    // A wake without a notice (a reconnect) always reads.
    subscription.wake();
    await settle();
    expect(reads).toEqual([undefined, 1n, 4n]);
    await subscription.close();
  });
});
