import {
  eventTypeFilter,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type Filter,
  type Position,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { matchesFilter } from '../append-request.validation.js';
import { EventStoreError } from '../errors.js';
import type { EventData, EventFilter, EventMetadata, RecordedEvent } from '../event-store.port.js';

/** What an unpopulated position reads as on servers older than 22.10 (stream reads). */
const NO_POSITION = 18446744073709551615n;

export function toJsonEvent(event: EventData) {
  // JSON.stringify(undefined) is not JSON: an absent payload is stored as null, as in Postgres.
  return jsonEvent({ id: event.id, type: event.type, data: (event.data ?? null) as never, metadata: event.metadata as never });
}

/**
 * The port's position is the commit position. For events written outside explicit
 * transactions (all gRPC appends) EventStoreDB gives each event its own commit position,
 * equal to its prepare position, so the pair is rebuilt from the one number.
 */
export function toEsdbPosition(position: bigint): Position {
  return { commit: position, prepare: position };
}

export function positionOf(resolved: ResolvedEvent | AllStreamResolvedEvent): Position {
  const position = resolved.event?.position;
  const commit = position?.commit ?? resolved.commitPosition;
  if (commit === undefined || commit === NO_POSITION) {
    throw new EventStoreError('EVENT_STORE_NO_POSITION', 'EventStoreDB sent an event without its $all position (the adapter needs EventStoreDB 22.10 or later)');
  }
  return position && position.commit !== NO_POSITION ? position : toEsdbPosition(commit);
}

export function toRecordedEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent {
  const event = resolved.event;
  if (!event) throw new EventStoreError('EVENT_STORE_FAILED', 'EventStoreDB sent a read result without an event');
  return {
    id: event.id,
    type: event.type,
    data: event.data,
    metadata: (event.metadata ?? {}) as EventMetadata,
    streamId: event.streamId,
    revision: event.revision,
    position: positionOf(resolved).commit,
    recordedAt: event.created.toISOString(),
  };
}

/** The server-side filter for a port filter, and what the adapter still checks itself. */
export interface SplitFilter {
  readonly server: Filter;
  accepts(event: RecordedEvent): boolean;
}

/**
 * EventStoreDB filters on the stream name OR the event type, never both. Prefixes go to the
 * server when given (the selective part for Chronicle's streams), else the event types as an
 * anchored regex, else a regex that drops system events (`$`-types). The adapter re-checks
 * the whole port filter and drops system events unless a type filter asks for them.
 */
export function splitFilter(filter: EventFilter | undefined): SplitFilter {
  const prefixes = filter?.streamPrefixes ?? [];
  const types = filter?.eventTypes ?? [];
  const server =
    prefixes.length > 0
      ? streamNameFilter({ prefixes: [...prefixes] })
      : types.length > 0
        ? eventTypeFilter({ regex: `^(?:${types.map(escapeRegex).join('|')})$` })
        : eventTypeFilter({ regex: '^[^$]' });
  return {
    server,
    accepts: (event) => matchesFilter(event, filter) && (!event.type.startsWith('$') || types.includes(event.type)),
  };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
