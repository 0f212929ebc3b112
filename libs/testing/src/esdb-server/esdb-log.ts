import { randomUUID } from 'node:crypto';
/** One record of the log, as EventStoreDB stores a non-transactional event. */
export interface StoredEvent {
  readonly streamId: string;
  readonly revision: bigint;
  /** Commit and prepare position (equal for events written outside explicit transactions). */
  readonly position: bigint;
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  /** .NET ticks (100 ns) since the Unix epoch, as the server sends `created`. */
  readonly created: bigint;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
}

export type ProposedEvent = Pick<StoredEvent, 'id' | 'type' | 'contentType' | 'data' | 'customMetadata'>;

export type Expectation = 'any' | 'no_stream' | 'stream_exists' | bigint;

export type AppendOutcome =
  | { readonly ok: true; readonly revision: bigint; readonly position: bigint }
  | { readonly ok: false; readonly current: bigint | undefined; readonly deleted?: false }
  | { readonly ok: false; readonly deleted: true };

/** Outcome of Streams/Delete and Streams/Tombstone. */
export type DeleteOutcome =
  | { readonly ok: true; readonly position: bigint }
  | { readonly ok: false; readonly current: bigint | undefined; readonly deleted?: false }
  | { readonly ok: false; readonly deleted: true };

/** Revision EventStoreDB gives the `$streamDeleted` record of a tombstone (long.MaxValue). */
const TOMBSTONE_REVISION = 9_223_372_036_854_775_807n;

/** Fixed size of a record's header, so that positions look like byte offsets. */
const RECORD_OVERHEAD = 96n;

/**
 * The global log (`$all`) and its per-stream index, in memory. An append is checked and
 * written in one synchronous step, so concurrent appends are serialized exactly as a single
 * node serializes them. Positions grow by the record's size: increasing, never contiguous.
 */
export class EsdbLog {
  readonly events: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly waiters = new Set<() => void>();
  /** Hard-deleted streams: reads and writes answer stream-deleted for ever. */
  private readonly tombstones = new Set<string>();
  /** Soft-deleted streams' first revision when written again (revisions continue after a delete). */
  private readonly bases = new Map<string, bigint>();
  private nextPosition = 1024n;

  constructor() {
    // A fresh node writes its settings first; clients must skip system events ($-types) in $all.
    this.append('$settings', 'any', [
      { id: '00000000-0000-4000-8000-000000000000', type: '$settings', contentType: 'application/json', data: Buffer.from('{}'), customMetadata: new Uint8Array() },
    ]);
  }

  stream(streamId: string): readonly StoredEvent[] | undefined {
    return this.streams.get(streamId);
  }

  isTombstoned(streamId: string): boolean {
    return this.tombstones.has(streamId);
  }

  /** Revision of the stream's first stored event (0 unless it was soft-deleted and written again). */
  revisionBase(streamId: string): bigint {
    return this.bases.get(streamId) ?? 0n;
  }

  /**
   * Streams/Delete (soft): the stream reads as not found and may be written again, its
   * revisions continuing after the last one. `$all` keeps the events (until a scavenge).
   */
  softDelete(streamId: string, expected: Expectation): DeleteOutcome {
    const check = this.checkDelete(streamId, expected);
    if (check) return check;
    const stream = this.streams.get(streamId);
    if (stream?.length) this.bases.set(streamId, stream[stream.length - 1].revision + 1n);
    this.streams.delete(streamId);
    return { ok: true, position: this.nextPosition };
  }

  /**
   * Streams/Tombstone (hard delete): a `$streamDeleted` record is written to `$all` and the name
   * can never be read or written again. `$all` keeps the stream's events (until a scavenge).
   */
  tombstone(streamId: string, expected: Expectation): DeleteOutcome {
    const check = this.checkDelete(streamId, expected);
    if (check) return check;
    this.streams.delete(streamId);
    this.tombstones.add(streamId);
    const record: StoredEvent = {
      streamId, revision: TOMBSTONE_REVISION, position: this.nextPosition, id: randomUUID(), type: '$streamDeleted',
      contentType: 'application/octet-stream', created: BigInt(Date.now()) * 10_000n, data: new Uint8Array(), customMetadata: new Uint8Array(),
    };
    this.nextPosition += RECORD_OVERHEAD + BigInt(streamId.length);
    this.events.push(record);
    this.wake();
    return { ok: true, position: record.position };
  }

  private checkDelete(streamId: string, expected: Expectation): DeleteOutcome | undefined {
    if (this.tombstones.has(streamId)) return { ok: false, deleted: true };
    const current = this.currentRevision(streamId);
    return accepts(expected, current) ? undefined : { ok: false, current };
  }

  private currentRevision(streamId: string): bigint | undefined {
    const stream = this.streams.get(streamId);
    return stream?.length ? stream[stream.length - 1].revision : undefined;
  }

  private wake(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    waiters.forEach((wake) => wake());
  }

  append(streamId: string, expected: Expectation, proposed: readonly ProposedEvent[]): AppendOutcome {
    if (this.tombstones.has(streamId)) return { ok: false, deleted: true };
    const stream = this.streams.get(streamId);
    const current = this.currentRevision(streamId);
    const replay = stream && idempotentReplay(stream, proposed);
    if (replay) return { ok: true, revision: replay.revision, position: replay.position };
    if (!accepts(expected, current)) return { ok: false, current };
    const target = stream ?? [];
    const base = this.revisionBase(streamId);
    const created = BigInt(Date.now()) * 10_000n;
    for (const event of proposed) {
      const stored: StoredEvent = { ...event, streamId, revision: base + BigInt(target.length), position: this.nextPosition, created };
      this.nextPosition += RECORD_OVERHEAD + BigInt(event.data.length + event.customMetadata.length + streamId.length + event.type.length);
      target.push(stored);
      this.events.push(stored);
    }
    this.streams.set(streamId, target);
    const last = target[target.length - 1];
    this.wake();
    return { ok: true, revision: last.revision, position: last.position };
  }

  /** Index of the first event whose position is >= `position` (or > it when `exclusive`). */
  indexFrom(position: bigint, exclusive: boolean): number {
    let low = 0;
    let high = this.events.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      const p = this.events[mid].position;
      if (p < position || (exclusive && p === position)) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Resolves on the next append (register right after finding nothing new: no lost wake-up). */
  nextAppend(): Promise<void> {
    return new Promise((resolve) => this.waiters.add(resolve));
  }
}

function accepts(expected: Expectation, current: bigint | undefined): boolean {
  return (
    expected === 'any' ||
    (expected === 'no_stream' && current === undefined) ||
    (expected === 'stream_exists' && current !== undefined) ||
    (typeof expected === 'bigint' && current === expected)
  );
}

/**
 * EventStoreDB answers a re-sent append (same event ids, already written in this order) with
 * the original result instead of writing twice; this keeps the simplest form of that rule.
 */
function idempotentReplay(stream: readonly StoredEvent[], proposed: readonly ProposedEvent[]): StoredEvent | undefined {
  if (proposed.length === 0) return undefined;
  const first = stream.findIndex((e) => e.id === proposed[0].id);
  if (first < 0 || !proposed.every((p, i) => stream[first + i]?.id === p.id)) return undefined;
  return stream[first + proposed.length - 1];
}
