import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../event-store.port.js';
import type { AppendNotice } from '../subscription/append-notice.js';
import type { AppendedEvents } from '../subscription/appended-events.js';
import { OwnAppends } from './own-appends.js';

const event = (position: number): RecordedEvent => ({
  id: `e${position}`, type: 'T', data: {}, metadata: { schemaVersion: 1, occurredAt: '2025-01-01T00:00:00.000Z' }, streamId: 's', revision: 0n, position: BigInt(position), recordedAt: '2025-01-01T00:00:00.000Z',
});
const appended = (after: number, ...positions: number[]): AppendedEvents => ({ after: BigInt(after), events: positions.map(event) });

function watched() {
  const handed: bigint[] = [];
  const wakes: (AppendNotice | undefined)[] = [];
  const own = new OwnAppends('me', (a) => handed.push(a.events.at(-1)!.position), (notice) => wakes.push(notice));
  return { own, handed, wakes };
}

describe('OwnAppends', () => {
  it('hands appends over in position order when they answer out of order', () => {
    const { own, handed } = watched();
    const first = own.begin();
    const second = own.begin();
    // The second call took the append lock first (lower positions) and answered first: it waits for the first.
    own.settle(second, appended(4, 5, 6));
    expect(handed).toEqual([]);
    own.settle(first, appended(6, 7));
    expect(handed).toEqual([6n, 7n]);
  });

  it('drops the notice of an append handed over, whether it comes before or after the answer', () => {
    const { own, wakes } = watched();
    const ticket = own.begin();
    own.noticed({ lastPosition: 6n, writer: 'me' });
    own.settle(ticket, appended(4, 5, 6));
    const next = own.begin();
    own.settle(next, appended(6, 7));
    own.noticed({ lastPosition: 7n, writer: 'me' });
    expect(wakes).toEqual([]);
  });

  it('wakes the subscriptions for an own append that was not handed over, or failed, and at once for another writer', () => {
    const { own, wakes } = watched();
    const failing = own.begin();
    own.noticed({ lastPosition: 9n, writer: 'me' }); // committed, but its answer never came
    own.noticed({ lastPosition: 8n, writer: 'someone else' });
    expect(wakes).toEqual([{ lastPosition: 8n, writer: 'someone else' }]);
    own.settle(failing, 'failed');
    expect(wakes).toEqual([{ lastPosition: 8n, writer: 'someone else' }, undefined, { lastPosition: 9n, writer: 'me' }]);
    // Not handed over (an id Postgres prints otherwise): its notice wakes them.
    const doubtful = own.begin();
    own.settle(doubtful, undefined);
    own.noticed({ lastPosition: 12n, writer: 'me' });
    expect(wakes.at(-1)).toEqual({ lastPosition: 12n, writer: 'me' });
  });
});
