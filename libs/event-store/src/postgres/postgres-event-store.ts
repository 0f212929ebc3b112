import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { validateAppendRequests } from '../append-request.validation.js';
import { EventStoreError } from '../errors.js';
import type {
  AppendRequest,
  AppendResult,
  EventData,
  EventFilter,
  EventStore,
  ExpectedRevision,
  RawEventReader,
  RawRecordedEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
  SubscriptionCallbacks,
  SubscriptionHandler,
} from '../event-store.port.js';
import { CatchUpSubscription } from '../subscription/catch-up-subscription.js';
import { CoalescingReader } from '../subscription/coalescing-reader.js';
import { parseAppendNotice } from '../subscription/append-notice.js';
import type { AppendedEvents } from '../subscription/appended-events.js';
import { inJsonbOrder } from './jsonb-order.js';
import { OwnAppends, type AppendTicket } from './own-appends.js';
import { PgNotificationListener } from './pg-notification-listener.js';
import { AppendCoalescer, type AppendCoalescerOptions } from './append-coalescer.js';
import { mapPgError } from './pg-errors.js';
import { applySchemaOnce } from './schema-once.js';
import { EVENTS_CHANNEL, SCHEMA_SQL } from './postgres-schema.js';
import { READ_ALL_RAW_SQL, READ_ALL_SQL, READ_ALL_WITH_HEAD_SQL, READ_STREAM_BACKWARDS_SQL, READ_STREAM_FORWARDS_SQL, toRawRecordedEvent, toRecordedEvent, type EventRow, type RawEventRow } from './event-rows.js';

export interface PostgresEventStoreOptions {
  /** Either a connection string (the store owns its pool) or a pool the caller owns. */
  readonly connectionString?: string;
  readonly pool?: pg.Pool;
  /** Size of the pool the store creates from `connectionString` (default 10). */
  readonly poolSize?: number;
  /** Backoff of the LISTEN connection's reconnects. */
  readonly listenRetryDelayMs?: { readonly first: number; readonly max: number };
  /** How concurrent appends are combined into one write (see AppendCoalescer). */
  readonly appends?: AppendCoalescerOptions;
  /**
   * Hand this store's own appends to its subscriptions instead of having them read back (OwnAppends;
   * default off). Worth it where one process both writes the log and follows all of it (standalone:
   * the projector, the relay, the trigger listener take its appends without a read, ≈ 1 tail read per
   * execution less). Off in distributed mode: there each service follows mostly what other services
   * wrote (every hand-over is a gap that reads anyway), and with it on, distributed overload at
   * 48,000/min left accepted calls unanswered (bench/results/2026-12-07-inproc-reverted.md, cause not
   * found): off, a store appends and wakes exactly as before the hand-over existed.
   */
  readonly handOverOwnAppends?: boolean;
}

/**
 * The event store on plain Postgres (`pg`). Appends are one call of the `chronicle_append`
 * function (one round trip, one transaction; see postgres-schema.ts for why readers never see
 * positions out of order), shared by the appends of concurrent callers (AppendCoalescer). Subscriptions read `events` by position and are woken by
 * LISTEN/NOTIFY on one dedicated connection per store; this store's own appends are handed to its
 * subscriptions instead (OwnAppends), which then read only when that does not continue their position.
 */
export class PostgresEventStore implements EventStore, RawEventReader {
  private readonly pool: pg.Pool;
  private readonly ownsPool: boolean;
  private readonly listener: PgNotificationListener;
  private readonly subscriptions = new Set<CatchUpSubscription>();
  /** The subscriptions' reads of one wake-up, served by one query (see CoalescingReader). */
  private readonly tail = new CoalescingReader((after, maxCount, filter) => this.readAllWithHead(after, maxCount, filter));
  /** Concurrent callers' appends, one chronicle_append call (one commit) per group. */
  private readonly appends: AppendCoalescer;
  /** This store's appends handed to its subscriptions without a read (see OwnAppends); undefined when off. */
  private readonly own: OwnAppends | undefined;
  private readonly writer = randomUUID();
  private closed = false;

  constructor(options: PostgresEventStoreOptions) {
    if (options.pool) {
      this.pool = options.pool;
      this.ownsPool = false;
    } else if (options.connectionString) {
      this.pool = new pg.Pool({ connectionString: options.connectionString, max: options.poolSize ?? 10 });
      this.ownsPool = true;
    } else {
      throw new EventStoreError('EVENT_STORE_CONFIGURATION', 'PostgresEventStore needs a connectionString or a pool');
    }
    this.appends = new AppendCoalescer((batch) => this.write(batch), options.appends);
    // An idle pooled connection that dies must not crash the process; the next query reconnects.
    if (this.ownsPool) this.pool.on('error', () => undefined);
    // Nor one checked out and between queries (the pool listens on idle ones only): its next query fails instead.
    if (this.ownsPool) this.pool.on('connect', (client) => client.on('error', () => undefined));
    this.listener = new PgNotificationListener(
      {
        clientConfig: { ...(this.pool.options as pg.ClientConfig), application_name: 'chronicle-event-store-listener' },
        channel: EVENTS_CHANNEL,
        firstRetryDelayMs: options.listenRetryDelayMs?.first,
        maxRetryDelayMs: options.listenRetryDelayMs?.max,
      },
      // A notification names what the append holds: a subscription that cannot want it does not read.
      (payload) => {
        const notice = parseAppendNotice(payload);
        if (this.own) this.own.noticed(notice);
        else this.subscriptions.forEach((s) => s.wake(notice));
      },
    );
    this.own = options.handOverOwnAppends
      ? new OwnAppends(
          this.writer,
          (appended) => this.subscriptions.forEach((s) => s.offer(appended)),
          (notice) => this.subscriptions.forEach((s) => s.wake(notice)),
        )
      : undefined;
  }

  /** Creates or updates the schema; idempotent and safe to run from several processes at once. */
  async ensureSchema(): Promise<void> {
    try {
      // A no-op (one row read) when the schema is current: a restarting replica takes no lock
      // that live appends hold or wait for.
      await applySchemaOnce(this.pool, 'event-store', [SCHEMA_SQL]);
    } catch (error) {
      throw mapPgError(error, []);
    }
  }

  /** Alias of `ensureSchema`, for callers that run migrations by that name. */
  migrate(): Promise<void> {
    return this.ensureSchema();
  }

  async append(streamId: string, events: readonly EventData[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    const [result] = await this.appendMany([{ streamId, events, expectedRevision }]);
    return result;
  }

  async appendMany(batch: readonly AppendRequest[]): Promise<AppendResult[]> {
    this.assertOpen();
    validateAppendRequests(batch);
    return this.appends.append(batch);
  }

  /** One chronicle_append call: the batch in one transaction. */
  private async write(batch: readonly AppendRequest[]): Promise<AppendResult[]> {
    const payload = JSON.stringify(
      batch.map(({ streamId, events, expectedRevision }) => ({
        s: streamId,
        e: typeof expectedRevision === 'bigint' ? expectedRevision.toString() : expectedRevision,
        ev: events.map(({ id, type, data, metadata }) => ({ id, type, data: data ?? null, metadata })),
      })),
    );
    // Without the hand-over no writer is named: no head looked up under the lock, no "w" in the notice.
    const own = this.own;
    const ticket = own?.begin();
    let rows: AppendRow[];
    try {
      ({ rows } = await this.pool.query<AppendRow>(own ? APPEND_HANDED_OVER_SQL : APPEND_SQL, [payload, own ? this.writer : null]));
    } catch (error) {
      if (own && ticket !== undefined) own.settle(ticket, 'failed');
      throw mapPgError(error, batch);
    }
    if (own && ticket !== undefined) {
      try {
        this.handOver(own, ticket, payload, rows);
      } catch {
        // The append is committed whatever went wrong here: the subscriptions read it.
        own.settle(ticket, undefined);
      }
    }
    return rows.map((row) => ({ nextExpectedRevision: BigInt(row.entry_revision), position: BigInt(row.entry_position) }));
  }

  /**
   * The appended events as a read of the log would give them, to the subscriptions of this
   * store: built from the payload just sent (parsed afresh, so no caller's object is shared) and
   * the positions, revisions, head and recorded_at the append answered. An event id Postgres would
   * print otherwise (upper case, braces) is a doubt: the subscriptions read instead.
   */
  private handOver(own: OwnAppends, ticket: AppendTicket, payload: string, rows: readonly AppendRow[]): void {
    if (this.subscriptions.size === 0 || rows.length === 0) return own.settle(ticket, undefined);
    const entries = JSON.parse(payload) as { s: string; ev: { id: string; type: string; data: unknown; metadata: unknown }[] }[];
    const recordedAt = rows[0]!.entry_recorded_at.toISOString();
    const events: RecordedEvent[] = [];
    for (let i = 0; i < rows.length; i++) {
      const { s: streamId, ev } = entries[i]!;
      const lastRevision = BigInt(rows[i]!.entry_revision);
      const lastPosition = BigInt(rows[i]!.entry_position);
      for (let j = 0; j < ev.length; j++) {
        const { id, type, data, metadata } = ev[j]!;
        if (!CANONICAL_UUID.test(id)) return own.settle(ticket, undefined);
        const back = BigInt(ev.length - 1 - j);
        events.push({ id, type, data: inJsonbOrder(data), metadata: inJsonbOrder(metadata) as RecordedEvent['metadata'], streamId, revision: lastRevision - back, position: lastPosition - back, recordedAt });
      }
    }
    const head = rows[0]!.entry_head;
    const appended: AppendedEvents | undefined = events.length > 0 ? { after: head === null ? undefined : BigInt(head), events } : undefined;
    own.settle(ticket, appended);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? undefined : 0n);
    return this.select(backwards ? READ_STREAM_BACKWARDS_SQL : READ_STREAM_FORWARDS_SQL, [
      streamId,
      from?.toString() ?? null,
      options.maxCount ?? null,
    ]);
  }

  async streamRevision(streamId: string): Promise<bigint | undefined> {
    this.assertOpen();
    try {
      const { rows } = await this.pool.query<{ revision: string }>(
        'SELECT revision FROM streams WHERE stream_id = $1 AND revision >= 0 AND NOT deleted',
        [streamId],
      );
      return rows.length === 0 ? undefined : BigInt(rows[0].revision);
    } catch (error) {
      throw mapPgError(error, []);
    }
  }

  /**
   * The tombstone first (its row lock waits for an append in flight to commit), then the events
   * in a second statement, whose fresh snapshot sees that append: nothing is left behind.
   */
  async deleteStream(streamId: string): Promise<void> {
    this.assertOpen();
    const client = await this.pool.connect().catch((error: unknown) => {
      throw mapPgError(error, []);
    });
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO streams (stream_id, revision, deleted) VALUES ($1, -1, true)
         ON CONFLICT (stream_id) DO UPDATE SET deleted = true`,
        [streamId],
      );
      await client.query('DELETE FROM events WHERE stream_id = $1', [streamId]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw mapPgError(error, []);
    } finally {
      client.release();
    }
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.select(READ_ALL_SQL, readAllParameters(options.after, options.maxCount, options.filter));
  }

  /** `RawEventReader`: readAll without parsing the events' JSON (a rebuild's fold workers parse it). */
  async readAllRaw(options: ReadAllOptions = {}): Promise<RawRecordedEvent[]> {
    this.assertOpen();
    try {
      const { rows } = await this.pool.query<RawEventRow>(READ_ALL_RAW_SQL, readAllParameters(options.after, options.maxCount, options.filter));
      return rows.map(toRawRecordedEvent);
    } catch (error) {
      throw mapPgError(error, []);
    }
  }

  /** readAll plus the head it was read at (see READ_ALL_WITH_HEAD_SQL), for subscriptions. */
  private async readAllWithHead(after: bigint | undefined, maxCount: number, filter: EventFilter | undefined): Promise<{ events: RecordedEvent[]; scannedTo?: bigint }> {
    this.assertOpen();
    try {
      const { rows } = await this.pool.query<EventRow & { head: string | null }>(READ_ALL_WITH_HEAD_SQL, readAllParameters(after, maxCount, filter));
      const head = rows[0]?.head;
      return { events: rows.filter((row) => row.position !== null).map(toRecordedEvent), ...(head != null ? { scannedTo: BigInt(head) } : {}) };
    } catch (error) {
      throw mapPgError(error, []);
    }
  }

  async headPosition(): Promise<bigint | undefined> {
    this.assertOpen();
    try {
      const { rows } = await this.pool.query<{ position: string | null }>('SELECT max(position) AS position FROM events');
      return rows[0].position === null ? undefined : BigInt(rows[0].position);
    } catch (error) {
      throw mapPgError(error, []);
    }
  }

  subscribeToAll(options: SubscribeOptions, handler: SubscriptionHandler, callbacks?: SubscriptionCallbacks): Subscription {
    this.assertOpen();
    const subscription = new CatchUpSubscription(
      this.tail.read,
      options,
      handler,
      callbacks,
      (stopped) => this.subscriptions.delete(stopped),
    );
    this.subscriptions.add(subscription);
    // LISTEN must be active before the first read, or an append committed between that read
    // and LISTEN would wait for the next notification.
    void this.listener.ready().then(() => subscription.wake());
    return subscription;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    this.closed = true;
    await this.listener.close();
    if (this.ownsPool) await this.pool.end();
  }

  private async select(sql: string, params: unknown[]): Promise<RecordedEvent[]> {
    this.assertOpen();
    try {
      const { rows } = await this.pool.query<EventRow>(sql, params);
      return rows.map(toRecordedEvent);
    } catch (error) {
      throw mapPgError(error, []);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreError('EVENT_STORE_CLOSED', 'the event store is closed');
  }
}

/** A row of chronicle_append's answer (postgres-schema.ts). */
/** The append; the head and recorded_at it answered are read only by a store that hands its appends over. */
const APPEND_SQL = 'SELECT entry_revision, entry_position FROM chronicle_append($1::jsonb, $2::text)';
const APPEND_HANDED_OVER_SQL = 'SELECT entry_revision, entry_position, entry_head, entry_recorded_at FROM chronicle_append($1::jsonb, $2::text)';

/** A row of either: `entry_head` and `entry_recorded_at` only in APPEND_HANDED_OVER_SQL's. */
interface AppendRow {
  readonly entry_revision: string;
  readonly entry_position: string;
  readonly entry_head: string | null;
  readonly entry_recorded_at: Date;
}

/** A uuid as Postgres prints it: anything else it accepts would be read back unlike what was sent. */
const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The parameters of READ_ALL_SQL (and READ_ALL_WITH_HEAD_SQL): an empty filter list means any. */
function readAllParameters(after: bigint | undefined, maxCount: number | undefined, filter: EventFilter | undefined): unknown[] {
  const prefixes = filter?.streamPrefixes?.length ? filter.streamPrefixes : null;
  const types = filter?.eventTypes?.length ? filter.eventTypes : null;
  return [after?.toString() ?? null, prefixes, types, maxCount ?? null];
}
