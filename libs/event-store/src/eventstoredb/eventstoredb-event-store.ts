import { BACKWARDS, END, EventStoreDBClient, FORWARDS, START, StreamNotFoundError, type AppendExpectedRevision } from '@eventstore/db-client';
import { validateAppendRequests } from '../append-request.validation.js';
import { EventStoreError, StreamDeletedError, WrongExpectedVersionError } from '../errors.js';
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
import { withRetries, type RetryPolicy } from './esdb-errors.js';
import { positionOf, splitFilter, toEsdbPosition, toJsonEvent, toRecordedEvent } from './esdb-events.js';
import { readAllFiltered } from './esdb-filtered-read.js';
import { EsdbSubscription } from './esdb-subscription.js';

export interface EventStoreDbEventStoreOptions {
  /** `esdb://host:2113?tls=false` for an insecure single node; any EventStoreDB connection string. */
  readonly connectionString: string;
  /** Retries of reads and appends on transient failures (default 8 tries, 50 ms doubling to 2 s). */
  readonly retry?: Partial<RetryPolicy>;
  /** Reconnections of a subscription in a row before it gives up (default 30 tries, 100 ms doubling to 2 s). */
  readonly subscriptionRetry?: Partial<RetryPolicy>;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 8, firstDelayMs: 50, maxDelayMs: 2_000 };
const DEFAULT_SUBSCRIPTION_RETRY: RetryPolicy = { attempts: 30, firstDelayMs: 100, maxDelayMs: 2_000 };
const DEFAULT_BATCH_SIZE = 500;
const READ_PAGE = 1_000;

/**
 * The event store on EventStoreDB (23.10 or later), through the official `@eventstore/db-client`.
 *
 * - Positions: the port's global position is the event's commit position in `$all` (a byte
 *   offset: increasing, not contiguous). `$all` reads and subscriptions never return system
 *   events (`$`-types) unless a type filter names them.
 * - `append` maps NO_STREAM / ANY / STREAM_EXISTS / a revision onto the client's expected
 *   revision; a conflict is the port's `WrongExpectedVersionError`.
 * - `appendMany` is NOT atomic across streams (see the port): expectations are checked first,
 *   then each request is one atomic append, in order.
 * - Transient failures (unavailable, not leader, cancelled) are retried with backoff; appends
 *   too, because EventStoreDB treats a re-sent append with the same event ids as done.
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly retry: RetryPolicy;
  private readonly subscriptionRetry: RetryPolicy;
  private readonly subscriptions = new Set<EsdbSubscription>();
  private closed = false;

  constructor(options: EventStoreDbEventStoreOptions) {
    if (!options.connectionString) throw new EventStoreError('EVENT_STORE_CONFIGURATION', 'EventStoreDbEventStore needs a connectionString');
    this.client = EventStoreDBClient.connectionString(options.connectionString);
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.subscriptionRetry = { ...DEFAULT_SUBSCRIPTION_RETRY, ...options.subscriptionRetry };
  }

  async append(streamId: string, events: readonly EventData[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    this.assertOpen();
    validateAppendRequests([{ streamId, events, expectedRevision }]);
    return this.appendOne({ streamId, events, expectedRevision });
  }

  async appendMany(batch: readonly AppendRequest[]): Promise<AppendResult[]> {
    this.assertOpen();
    validateAppendRequests(batch);
    if (batch.length > 1) await this.checkExpectations(batch);
    const results: AppendResult[] = [];
    for (const request of batch) results.push(await this.appendOne(request));
    return results;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    // A tombstoned stream reads as empty, as the port says (EventStoreDB answers stream-deleted).
    return this.readStreamOrDeleted(streamId, options).catch((error: unknown) => {
      if (error instanceof StreamDeletedError) return [];
      throw error;
    });
  }

  /** Like readStream, but a tombstoned stream throws StreamDeletedError. */
  private async readStreamOrDeleted(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    if (options.maxCount !== undefined && options.maxCount <= 0) return [];
    const backwards = options.direction === 'backwards';
    return withRetries(this.retry, async () => {
      const events: RecordedEvent[] = [];
      try {
        const read = this.client.readStream(streamId, {
          direction: backwards ? BACKWARDS : FORWARDS,
          fromRevision: options.fromRevision ?? (backwards ? END : START),
          maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
        });
        for await (const resolved of read) events.push(toRecordedEvent(resolved));
      } catch (error) {
        if (error instanceof StreamNotFoundError) return [];
        throw error;
      }
      return events;
    });
  }

  /** A tombstone (hard delete): the name can never be written again; `$all` keeps the events until a scavenge. */
  async deleteStream(streamId: string): Promise<void> {
    this.assertOpen();
    try {
      await withRetries(this.retry, () => this.client.tombstoneStream(streamId, { expectedRevision: 'any' }));
    } catch (error) {
      if (!(error instanceof StreamDeletedError)) throw error;
    }
  }

  async streamRevision(streamId: string): Promise<bigint | undefined> {
    const [last] = await this.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    return last?.revision;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const maxCount = options.maxCount ?? Number.POSITIVE_INFINITY;
    const { server, accepts } = splitFilter(options.filter);
    const events: RecordedEvent[] = [];
    let after = options.after;
    let from = after === undefined ? undefined : toEsdbPosition(after);
    while (events.length < maxCount) {
      // Forwards reads include their start: ask for one more and drop what is not after it.
      const count = Math.min(READ_PAGE, maxCount - events.length + (from ? 1 : 0));
      const page = await withRetries(this.retry, () =>
        readAllFiltered(this.client, { from: from ?? 'start', direction: 'forwards', maxCount: count, filter: server }),
      );
      for (const resolved of page) {
        const event = toRecordedEvent(resolved);
        if (after !== undefined && event.position <= after) continue;
        if (accepts(event) && events.length < maxCount) events.push(event);
      }
      if (page.length < count) break;
      from = positionOf(page[page.length - 1]);
      after = from.commit;
    }
    return events;
  }

  async headPosition(): Promise<bigint | undefined> {
    this.assertOpen();
    const { server } = splitFilter(undefined);
    const [last] = await withRetries(this.retry, () =>
      readAllFiltered(this.client, { from: 'end', direction: 'backwards', maxCount: 1, filter: server }),
    );
    return last ? positionOf(last).commit : undefined;
  }

  subscribeToAll(options: SubscribeOptions, handler: SubscriptionHandler, callbacks?: SubscriptionCallbacks): Subscription {
    this.assertOpen();
    const { server, accepts } = splitFilter(options.filter);
    const subscription = new EsdbSubscription(
      {
        open: (from) => this.client.subscribeToAll({ fromPosition: from ?? START, filter: server }),
        from: options.after === undefined ? undefined : toEsdbPosition(options.after),
        accepts,
        batchSize: Math.max(1, Math.floor(options.batchSize ?? DEFAULT_BATCH_SIZE)),
        retry: this.subscriptionRetry,
        onStop: (stopped) => this.subscriptions.delete(stopped),
      },
      handler,
      callbacks,
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    this.closed = true;
    await this.client.dispose();
  }

  private async appendOne({ streamId, events, expectedRevision }: AppendRequest): Promise<AppendResult> {
    const result = await withRetries(
      this.retry,
      () => this.client.appendToStream(streamId, events.map(toJsonEvent), { expectedRevision: toExpectedRevision(expectedRevision) }),
      { streamId, expected: expectedRevision },
    );
    if (!result.position) throw new EventStoreError('EVENT_STORE_NO_POSITION', `EventStoreDB did not return the position of the append to ${streamId}`);
    return { nextExpectedRevision: result.nextExpectedRevision, position: result.position.commit };
  }

  /**
   * Checks every expectation of a batch against the streams as they are now (the batch's own
   * earlier requests included), so that a stale expectation fails before anything is written.
   * A writer racing in after this check can still make a later request fail (see the port).
   */
  private async checkExpectations(batch: readonly AppendRequest[]): Promise<void> {
    const streams = [...new Set(batch.map((r) => r.streamId))];
    // A tombstoned stream fails the whole batch here, before anything is written.
    const revisions = new Map(
      await Promise.all(streams.map(async (s) => [s, (await this.readStreamOrDeleted(s, { direction: 'backwards', maxCount: 1 }))[0]?.revision] as const)),
    );
    for (const { streamId, events, expectedRevision } of batch) {
      const current = revisions.get(streamId);
      const satisfied =
        expectedRevision === ANY ||
        (expectedRevision === NO_STREAM && current === undefined) ||
        (expectedRevision === STREAM_EXISTS && current !== undefined) ||
        expectedRevision === current;
      if (!satisfied) throw new WrongExpectedVersionError(streamId, expectedRevision, current);
      revisions.set(streamId, (current ?? -1n) + BigInt(events.length));
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreError('EVENT_STORE_CLOSED', 'the event store is closed');
  }
}

/** Spelled out rather than passed through: a successor client renamed this option (see ESDB notes). */
function toExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case NO_STREAM:
      return 'no_stream';
    case ANY:
      return 'any';
    case STREAM_EXISTS:
      return 'stream_exists';
    default:
      return expected;
  }
}
