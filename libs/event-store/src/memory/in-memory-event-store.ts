import { matchesFilter, validateAppendRequests } from '../append-request.validation.js';
import { DuplicateEventIdError, EventStoreError, StreamDeletedError, WrongExpectedVersionError } from '../errors.js';
import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  type AppendRequest,
  type AppendResult,
  type EventData,
  type EventStore,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
  type SubscriptionCallbacks,
  type SubscriptionHandler,
} from '../event-store.port.js';
import { CatchUpSubscription } from '../subscription/catch-up-subscription.js';

/**
 * The event store in one process's memory, for unit tests. Same contract as the Postgres
 * adapter (the conformance suite checks both): data is stored as a JSON copy, so what reads
 * back is what Postgres would return; subscriptions are woken by each append (no polling).
 */
export class InMemoryEventStore implements EventStore {
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly ids = new Set<string>();
  /** Tombstones: positions stay index + 1, so deleted events stay in `log`, skipped by reads. */
  private readonly deleted = new Set<string>();
  private readonly subscriptions = new Set<CatchUpSubscription>();
  private closed = false;

  /** `now` stamps recordedAt; inject one for deterministic tests. */
  constructor(private readonly now: () => Date = () => new Date()) {}

  async append(streamId: string, events: readonly EventData[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    const [result] = await this.appendMany([{ streamId, events, expectedRevision }]);
    return result;
  }

  async appendMany(batch: readonly AppendRequest[]): Promise<AppendResult[]> {
    this.assertOpen();
    validateAppendRequests(batch);
    // Check everything against a simulated state first, so a failure writes nothing.
    const revisions = new Map<string, bigint | undefined>();
    const batchIds = new Set<string>();
    for (const { streamId, events, expectedRevision } of batch) {
      if (this.deleted.has(streamId)) throw new StreamDeletedError(streamId);
      const current = revisions.has(streamId) ? revisions.get(streamId) : this.currentRevision(streamId);
      if (!expectationHolds(expectedRevision, current)) throw new WrongExpectedVersionError(streamId, expectedRevision, current);
      for (const { id } of events) {
        const key = id.toLowerCase();
        if (this.ids.has(key) || batchIds.has(key)) throw new DuplicateEventIdError(id);
        batchIds.add(key);
      }
      revisions.set(streamId, (current ?? -1n) + BigInt(events.length));
    }
    const recordedAt = this.now().toISOString();
    const results = batch.map(({ streamId, events }) => {
      const stream = this.streams.get(streamId) ?? [];
      this.streams.set(streamId, stream);
      for (const event of events) {
        const recorded: RecordedEvent = {
          id: event.id.toLowerCase(),
          type: event.type,
          data: jsonCopy(event.data),
          metadata: jsonCopy(event.metadata),
          streamId,
          revision: BigInt(stream.length),
          position: BigInt(this.log.length + 1),
          recordedAt,
        };
        stream.push(recorded);
        this.log.push(recorded);
        this.ids.add(recorded.id);
      }
      return { nextExpectedRevision: BigInt(stream.length - 1), position: BigInt(this.log.length) };
    });
    for (const subscription of this.subscriptions) subscription.wake();
    return results;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const stream = this.streams.get(streamId) ?? [];
    const limit = options.maxCount ?? Number.POSITIVE_INFINITY;
    if (options.direction === 'backwards') {
      const from = options.fromRevision ?? BigInt(stream.length - 1);
      return stream.filter((e) => e.revision <= from).reverse().slice(0, limit);
    }
    const from = options.fromRevision ?? 0n;
    return stream.filter((e) => e.revision >= from).slice(0, limit);
  }

  async streamRevision(streamId: string): Promise<bigint | undefined> {
    this.assertOpen();
    return this.currentRevision(streamId);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const { after, filter } = options;
    const limit = options.maxCount ?? Number.POSITIVE_INFINITY;
    // Positions are index + 1, so the slice skips everything at or before `after`.
    const start = after === undefined || after < 0n ? 0 : Number(after);
    const found: RecordedEvent[] = [];
    for (let i = start; i < this.log.length && found.length < limit; i++) {
      if (matchesFilter(this.log[i], filter) && !this.deleted.has(this.log[i].streamId)) found.push(this.log[i]);
    }
    return found;
  }

  async deleteStream(streamId: string): Promise<void> {
    this.assertOpen();
    this.deleted.add(streamId);
    this.streams.delete(streamId);
  }

  async headPosition(): Promise<bigint | undefined> {
    this.assertOpen();
    return this.log.length === 0 ? undefined : BigInt(this.log.length);
  }

  subscribeToAll(options: SubscribeOptions, handler: SubscriptionHandler, callbacks?: SubscriptionCallbacks): Subscription {
    this.assertOpen();
    const subscription = new CatchUpSubscription(
      async (after, maxCount, filter) => {
        const head = this.log.length;
        const events = await this.readAll({ after, maxCount, filter });
        return { events, ...(head > 0 ? { scannedTo: BigInt(head) } : {}) };
      },
      options,
      handler,
      callbacks,
      (stopped) => this.subscriptions.delete(stopped),
    );
    this.subscriptions.add(subscription);
    subscription.wake();
    return subscription;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    this.closed = true;
  }

  private currentRevision(streamId: string): bigint | undefined {
    const stream = this.streams.get(streamId);
    return stream && stream.length > 0 ? BigInt(stream.length - 1) : undefined;
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreError('EVENT_STORE_CLOSED', 'the event store is closed');
  }
}

export function expectationHolds(expected: ExpectedRevision, current: bigint | undefined): boolean {
  if (expected === ANY) return true;
  if (expected === NO_STREAM) return current === undefined;
  if (expected === STREAM_EXISTS) return current !== undefined;
  return current === expected;
}

function jsonCopy<T>(value: T): T {
  return value === undefined ? (null as T) : (JSON.parse(JSON.stringify(value)) as T);
}
