/**
 * The event store port, shaped after EventStoreDB so that the Postgres and the
 * EventStoreDB adapters keep one contract (checked by one conformance suite).
 *
 * Positions are bigint: EventStoreDB commit positions are uint64 and need not be
 * contiguous, so callers must never compute `position + 1n`; they pass back a
 * position they were given. (The EventStoreDB adapter uses the commit position, a byte
 * offset in its log; Postgres uses a sequence.)
 */

export const NO_STREAM = 'no_stream' as const;
export const ANY = 'any' as const;
export const STREAM_EXISTS = 'stream_exists' as const;

/** `NO_STREAM`, `ANY`, `STREAM_EXISTS` or the exact revision of the stream's last event. */
export type ExpectedRevision = typeof NO_STREAM | typeof ANY | typeof STREAM_EXISTS | bigint;

export interface EventMetadata {
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly actor?: string;
  readonly schemaVersion: number;
  /** ISO-8601 UTC; given by the caller (the domain never reads a clock). */
  readonly occurredAt: string;
  readonly [key: string]: unknown;
}

/** An event to append. `id` is a UUID chosen by the caller. */
export interface EventData<Type extends string = string, Data = unknown> {
  readonly id: string;
  readonly type: Type;
  readonly data: Data;
  readonly metadata: EventMetadata;
}

/** An event as stored. */
export interface RecordedEvent<Type extends string = string, Data = unknown> extends EventData<Type, Data> {
  readonly streamId: string;
  /** 0-based revision within its stream. */
  readonly revision: bigint;
  /** Global position in the log: increases with every append, across all streams. */
  readonly position: bigint;
  /** When the store recorded it (ISO-8601 UTC). */
  readonly recordedAt: string;
}

/**
 * An event as stored, its data and metadata still JSON text (what `JSON.parse` turns into the
 * `RecordedEvent`'s): for a reader that parses elsewhere, e.g. a rebuild's fold workers.
 */
export interface RawRecordedEvent extends Omit<RecordedEvent, 'data' | 'metadata'> {
  readonly dataJson: string;
  readonly metadataJson: string;
}

/** An adapter that can read the log without parsing it (optional: see `canReadRaw`). */
export interface RawEventReader {
  /** `readAll`, the events' data and metadata as their JSON text. */
  readAllRaw(options?: ReadAllOptions): Promise<RawRecordedEvent[]>;
}

export const canReadRaw = <S extends object>(store: S): store is S & RawEventReader =>
  typeof (store as Partial<RawEventReader>).readAllRaw === 'function';

/** The event a raw one stands for. */
export function parseRawEvent(event: RawRecordedEvent): RecordedEvent {
  return {
    id: event.id, type: event.type, data: JSON.parse(event.dataJson), metadata: JSON.parse(event.metadataJson),
    streamId: event.streamId, revision: event.revision, position: event.position, recordedAt: event.recordedAt,
  };
}

export interface AppendResult {
  /** Revision of the last event written (the stream's new current revision). */
  readonly nextExpectedRevision: bigint;
  /** Global position of the last event written. */
  readonly position: bigint;
}

export interface ReadStreamOptions {
  /** Inclusive; default: the first revision forwards, the last revision backwards. */
  readonly fromRevision?: bigint;
  readonly maxCount?: number;
  readonly direction?: 'forwards' | 'backwards';
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. Omit to start at the beginning. */
  readonly after?: bigint;
  readonly maxCount?: number;
  readonly filter?: EventFilter;
}

/**
 * Server-side filter: stream-name prefixes and/or event types. Empty = everything.
 * When both are given an event must match both (a prefix AND a type).
 */
export interface EventFilter {
  readonly streamPrefixes?: readonly string[];
  readonly eventTypes?: readonly string[];
}

export interface SubscribeOptions {
  /** Exclusive checkpoint: deliver events strictly after it. Omit to start at the beginning. */
  readonly after?: bigint;
  readonly filter?: EventFilter;
  /** Largest batch handed to the handler at once (default 500). */
  readonly batchSize?: number;
}

/**
 * Receives events in global order, one batch at a time; the next batch is not
 * delivered until the returned promise settles (back-pressure). If the handler
 * throws, the subscription stops and `onError` is called.
 */
export type SubscriptionHandler = (events: readonly RecordedEvent[]) => Promise<void>;

export interface Subscription {
  /** Stops delivering; resolves once no handler call is running. */
  close(): Promise<void>;
  /**
   * Resolves when the subscription has delivered everything that existed when it started.
   * Rejects if the subscription stops first (handler error, or `close()` before catching up).
   */
  readonly caughtUp: Promise<void>;
}

export interface SubscriptionCallbacks {
  readonly onError?: (error: Error) => void;
}

/** One stream's part of an `appendMany` batch. */
export interface AppendRequest {
  readonly streamId: string;
  readonly events: readonly EventData[];
  readonly expectedRevision: ExpectedRevision;
}

export interface EventStore {
  /**
   * Appends at least one event atomically. A failed expectation throws
   * `WrongExpectedVersionError` and writes nothing; an empty `events` throws `InvalidAppendError`.
   */
  append(streamId: string, events: readonly EventData[], expectedRevision: ExpectedRevision): Promise<AppendResult>;
  /**
   * Appends several requests in order, so one stream may appear twice (the second expectation
   * sees the first's events). Results are in request order; positions increase along the batch.
   * Any failed expectation throws `WrongExpectedVersionError` (for the first failing request).
   *
   * Atomicity depends on the adapter. Postgres and memory apply the whole batch in one
   * transaction: all or nothing. Other adapters may apply a batch per stream: EventStoreDB has
   * no multi-stream atomic write, so its adapter checks every expectation first (a stale
   * expectation writes nothing) and then appends request by request, each one atomic on its
   * own. A failure there (a writer racing in between, the server going away) can leave the
   * earlier requests written and the later ones not. Callers must tolerate such a partial
   * write: re-read the streams and decide again (the executor does so on
   * `WrongExpectedVersionError`), never assume the batch was all or nothing.
   */
  appendMany(batch: readonly AppendRequest[]): Promise<AppendResult[]>;
  /**
   * Deletes a stream for good (retention, `purgeExecutions`), leaving a tombstone: the stream
   * reads as empty (`readStream` [], `streamRevision` undefined) and any later append to it
   * throws `StreamDeletedError`, so a redelivered command or a retried idempotent creation
   * cannot silently bring it back. Deleting a deleted stream is a no-op; deleting a stream that
   * never existed tombstones its name. Postgres and memory drop the events from `readAll` and
   * subscriptions at once; EventStoreDB (a tombstone) keeps them in `$all` until a scavenge, so
   * readers of the whole log that must not see them (the projection) keep a ledger of their own.
   */
  deleteStream(streamId: string): Promise<void>;
  /** Events of one stream. A stream that does not exist reads as an empty array. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Current revision of the stream, or undefined when it does not exist. */
  streamRevision(streamId: string): Promise<bigint | undefined>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Position of the last event in the log, or undefined when the log is empty. */
  headPosition(): Promise<bigint | undefined>;
  /** Catch-up then live, push-based, resumable from a checkpoint. */
  subscribeToAll(options: SubscribeOptions, handler: SubscriptionHandler, callbacks?: SubscriptionCallbacks): Subscription;
  /** Releases connections. */
  close(): Promise<void>;
}
