import { EventStoreUnavailableError, SubscriptionClosedError } from '../errors.js';
import type {
  EventFilter,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
  SubscriptionCallbacks,
  SubscriptionHandler,
} from '../event-store.port.js';
import { concerns, type AppendNotice } from './append-notice.js';

/**
 * Reads up to `maxCount` events strictly after `after` that pass the filter. `scannedTo`, when
 * known: the position up to which the log was looked at (its head at the read), so that a
 * filtered subscription does not look again at the events it skipped.
 */
export type ReadAfter = (
  after: bigint | undefined,
  maxCount: number,
  filter: EventFilter | undefined,
) => Promise<{ readonly events: RecordedEvent[]; readonly scannedTo?: bigint }>;

const DEFAULT_BATCH_SIZE = 500;
const READ_ATTEMPTS = 6;
const FIRST_RETRY_DELAY_MS = 100;

/**
 * The push-based subscription both adapters share. The adapter calls `wake()` whenever new
 * events may exist (an append in memory, a NOTIFY or a reconnect in Postgres). Wakes are
 * coalesced: while a drain runs, further wakes only mark the subscription dirty, and one more
 * drain follows, so a burst of appends costs a few reads, never one read per append. A drain
 * reads batches after the last delivered position until a short batch, handing each batch to
 * the handler and waiting for it (back-pressure). There is no timer: without a wake, nothing runs.
 */
export class CatchUpSubscription implements Subscription {
  readonly caughtUp: Promise<void>;
  private resolveCaughtUp!: () => void;
  private rejectCaughtUp!: (error: Error) => void;
  private isCaughtUp = false;
  private last: bigint | undefined;
  private readonly batchSize: number;
  private readonly filter: EventFilter | undefined;
  private dirty = false;
  private active = false;
  private running: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly read: ReadAfter,
    options: SubscribeOptions,
    private readonly handler: SubscriptionHandler,
    private readonly callbacks: SubscriptionCallbacks | undefined,
    private readonly onStop: (subscription: CatchUpSubscription) => void,
  ) {
    this.last = options.after;
    this.filter = options.filter;
    this.batchSize = Math.max(1, Math.floor(options.batchSize ?? DEFAULT_BATCH_SIZE));
    this.caughtUp = new Promise<void>((resolve, reject) => {
      this.resolveCaughtUp = resolve;
      this.rejectCaughtUp = reject;
    });
    // A caller that never awaits caughtUp must not get an unhandled rejection.
    this.caughtUp.catch(() => undefined);
  }

  /**
   * New events may exist after the last delivered position. With the append's notice, a wake that
   * certainly brings nothing this subscription wants (an append it has read past already, or one
   * of streams or types its filter drops) is ignored: no read (see `concerns`).
   */
  wake(notice?: AppendNotice): void {
    if (this.closed) return;
    if (notice && !concerns(notice, this.last, this.filter)) return;
    this.dirty = true;
    if (this.active) return;
    this.active = true;
    this.running = this.run();
  }

  async close(): Promise<void> {
    if (!this.closed) this.stop(new SubscriptionClosedError());
    await this.running;
  }

  private async run(): Promise<void> {
    try {
      while (this.dirty && !this.closed) {
        this.dirty = false;
        await this.drain();
      }
    } catch (error) {
      if (!this.closed) {
        const failure = error instanceof Error ? error : new Error(String(error));
        this.stop(failure);
        this.callbacks?.onError?.(failure);
      }
    } finally {
      this.active = false;
    }
  }

  private async drain(): Promise<void> {
    for (;;) {
      const { events: batch, scannedTo } = await this.readWithRetries();
      if (this.closed) return;
      if (batch.length > 0) {
        await this.handler(batch);
        this.last = batch[batch.length - 1].position;
      }
      if (batch.length < this.batchSize) {
        // A short batch: everything up to `scannedTo` was looked at. Without this, a filter that
        // rarely matches (flow streams only) re-read every later event on every wake.
        if (scannedTo !== undefined && (this.last === undefined || scannedTo > this.last)) this.last = scannedTo;
        // A short read saw everything committed before it began.
        if (!this.isCaughtUp) {
          this.isCaughtUp = true;
          this.resolveCaughtUp();
        }
        return;
      }
    }
  }

  /** Transient read failures (a restart, a dropped connection) are retried with backoff. */
  private async readWithRetries(): Promise<{ readonly events: RecordedEvent[]; readonly scannedTo?: bigint }> {
    let delay = FIRST_RETRY_DELAY_MS;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.read(this.last, this.batchSize, this.filter);
      } catch (error) {
        if (this.closed) return { events: [] };
        if (attempt >= READ_ATTEMPTS) throw new EventStoreUnavailableError('the subscription cannot read the log', { cause: error });
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay *= 2;
      }
    }
  }

  private stop(reason: Error): void {
    this.closed = true;
    if (!this.isCaughtUp) this.rejectCaughtUp(reason);
    this.onStop(this);
  }
}
