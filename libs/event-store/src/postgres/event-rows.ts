import type { EventMetadata, RawRecordedEvent, RecordedEvent } from '../event-store.port.js';

/** A row of `events` as pg returns it: int8 columns arrive as strings, jsonb already parsed. */
export interface EventRow {
  readonly position: string;
  readonly stream_id: string;
  readonly revision: string;
  readonly event_id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: EventMetadata;
  readonly recorded_at: Date;
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    streamId: row.stream_id,
    revision: BigInt(row.revision),
    position: BigInt(row.position),
    recordedAt: row.recorded_at.toISOString(),
  };
}

/** A row of READ_ALL_RAW_SQL: data and metadata as their JSON text, recorded_at as UTC text. */
export interface RawEventRow extends Omit<EventRow, 'data' | 'metadata' | 'recorded_at'> {
  readonly data: string;
  readonly metadata: string;
  readonly recorded_at: string;
}

export function toRawRecordedEvent(row: RawEventRow): RawRecordedEvent {
  return {
    id: row.event_id,
    type: row.type,
    dataJson: row.data,
    metadataJson: row.metadata,
    streamId: row.stream_id,
    revision: BigInt(row.revision),
    position: BigInt(row.position),
    recordedAt: isoFromUtcText(row.recorded_at),
  };
}

/**
 * `YYYY-MM-DD HH:MM:SS[.ffffff]`, a UTC timestamp as Postgres prints it (DateStyle ISO, which pg's
 * own date parsing needs as well), as `Date.toISOString()` prints it: milliseconds cut, not rounded, as pg's parser cuts them.
 */
export function isoFromUtcText(text: string): string {
  const milliseconds = text.length > 20 ? text.slice(20, 23).padEnd(3, '0') : '000';
  return `${text.slice(0, 10)}T${text.slice(11, 19)}.${milliseconds}Z`;
}

const COLUMNS = 'position, stream_id, revision, event_id, type, data, metadata, recorded_at';
/*
 * recorded_at as UTC text, made ISO here (`isoFromUtcText`): a rebuild reads every event, and parsing
 * each into a Date only to print it again was a tenth of its main thread's time. Postgres's own
 * output of a timestamp costs about what it costs for the timestamptz (to_char costs twice that).
 */
const UTC_RECORDED_AT = `(recorded_at AT TIME ZONE 'UTC')::text AS recorded_at`;
const RAW_COLUMNS = `position, stream_id, revision, event_id, type, data::text AS data, metadata::text AS metadata, ${UTC_RECORDED_AT}`;

/** $1 stream, $2 first revision (inclusive), $3 max count (null = all). */
export const READ_STREAM_FORWARDS_SQL = `
SELECT ${COLUMNS} FROM events
WHERE stream_id = $1 AND revision >= $2::bigint
ORDER BY revision LIMIT $3`;

/** $1 stream, $2 last revision (inclusive, null = the end), $3 max count. */
export const READ_STREAM_BACKWARDS_SQL = `
SELECT ${COLUMNS} FROM events
WHERE stream_id = $1 AND ($2::bigint IS NULL OR revision <= $2::bigint)
ORDER BY revision DESC LIMIT $3`;

/** $1 after (exclusive, null = start), $2 stream prefixes (null = any), $3 types (null = any), $4 max count. */
export const READ_ALL_SQL = `
SELECT ${COLUMNS} FROM events
WHERE position > coalesce($1::bigint, -1)
  AND ($2::text[] IS NULL OR EXISTS (SELECT 1 FROM unnest($2::text[]) AS p(prefix) WHERE starts_with(stream_id, p.prefix)))
  AND ($3::text[] IS NULL OR type = ANY ($3::text[]))
ORDER BY position LIMIT $4`;

/** READ_ALL_SQL, data and metadata as text: the same JSON, not parsed by pg. */
export const READ_ALL_RAW_SQL = READ_ALL_SQL.replace(COLUMNS, RAW_COLUMNS);

/**
 * READ_ALL_SQL for a subscription: also the head of the log in the same snapshot (one row with
 * null event columns when nothing matched). Appends commit in position order (see
 * chronicle_append), so when fewer than $4 events match, every event up to that head was looked
 * at, and a filtered subscription can move past the ones that did not match.
 */
export const READ_ALL_WITH_HEAD_SQL = `
WITH head AS (SELECT max(position) AS head FROM events),
hits AS (${READ_ALL_SQL})
SELECT hits.*, head.head FROM head LEFT JOIN hits ON true ORDER BY hits.position`;
