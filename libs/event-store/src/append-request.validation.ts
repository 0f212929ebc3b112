import { InvalidAppendError } from './errors.js';
import { ANY, NO_STREAM, STREAM_EXISTS, type AppendRequest, type EventFilter, type RecordedEvent } from './event-store.port.js';

/** Rejects malformed requests before any adapter touches its storage (same answer everywhere). */
export function validateAppendRequests(batch: readonly AppendRequest[]): void {
  if (batch.length === 0) throw new InvalidAppendError('appendMany needs at least one request');
  for (const { streamId, events, expectedRevision } of batch) {
    if (typeof streamId !== 'string' || streamId.length === 0) throw new InvalidAppendError('a stream id must be a non-empty string');
    if (events.length === 0) throw new InvalidAppendError(`stream ${streamId}: an append needs at least one event`);
    const known = expectedRevision === NO_STREAM || expectedRevision === ANY || expectedRevision === STREAM_EXISTS;
    if (!known && (typeof expectedRevision !== 'bigint' || expectedRevision < 0n)) {
      throw new InvalidAppendError(`stream ${streamId}: expected revision ${String(expectedRevision)} is not a valid expectation`);
    }
    for (const event of events) {
      if (!UUID.test(event.id)) throw new InvalidAppendError(`stream ${streamId}: event id ${event.id} is not a UUID`);
      if (typeof event.type !== 'string' || event.type.length === 0) throw new InvalidAppendError(`stream ${streamId}: an event type must be a non-empty string`);
    }
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Both criteria must match when both are given; an empty list means "any". */
export function matchesFilter(event: Pick<RecordedEvent, 'streamId' | 'type'>, filter: EventFilter | undefined): boolean {
  if (!filter) return true;
  const { streamPrefixes, eventTypes } = filter;
  if (streamPrefixes && streamPrefixes.length > 0 && !streamPrefixes.some((prefix) => event.streamId.startsWith(prefix))) return false;
  if (eventTypes && eventTypes.length > 0 && !eventTypes.includes(event.type)) return false;
  return true;
}
