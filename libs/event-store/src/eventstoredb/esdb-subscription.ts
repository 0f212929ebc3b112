import type { AllStreamResolvedEvent, AllStreamSubscription, Position } from '@eventstore/db-client';
import { EventStoreUnavailableError, SubscriptionClosedError } from '../errors.js';
import type { RecordedEvent, Subscription, SubscriptionCallbacks, SubscriptionHandler } from '../event-store.port.js';
import { isTransient, mapEsdbError, type RetryPolicy } from './esdb-errors.js';
import { positionOf, toRecordedEvent } from './esdb-events.js';

export interface EsdbSubscriptionOptions {
  /** Opens a server subscription strictly after `from` (from the start when undefined). */
  readonly open: (from: Position | undefined) => AllStreamSubscription;
  readonly from: Position | undefined;
  /** What the server-side filter let through but the port's filter does not. */
  readonly accepts: (event: RecordedEvent) => boolean;
  readonly batchSize: number;
  readonly retry: RetryPolicy;
  readonly onStop: (subscription: EsdbSubscription) => void;
}

class SubscriptionEnded extends Error {}

/**
 * A catch-up subscription to `$all` on the client's push subscription. Events are queued as
 * the server pushes them and handed to the handler in batches of at most `batchSize`, one
 * batch at a time; when the queue holds two batches the client stream is paused, so gRPC flow
 * control stops the server (back-pressure). `caughtUp` resolves once the handler has finished
 * every event the server sent before its `caught_up` message (EventStoreDB 23.10+).
 *
 * On a transient failure (node restart, unavailable, not leader, the call ending) the queue is
 * dropped and the subscription is opened again, with backoff, strictly after the last event
 * handed to the handler: nothing lost, nothing twice (a position check guards the latter too).
 */
export class EsdbSubscription implements Subscription {
  readonly caughtUp: Promise<void>;
  private resolveCaughtUp!: () => void;
  private rejectCaughtUp!: (error: Error) => void;
  private isCaughtUp = false;
  private closed = false;
  private generation = 0;
  private current: AllStreamSubscription | undefined;
  private queue: AllStreamResolvedEvent[] = [];
  /** Per connection: events received, events handed out, and how many preceded `caught_up`. */
  private received = 0;
  private handed = 0;
  private caughtUpAt: number | undefined;
  private from: Position | undefined;
  private lastSeen: bigint | undefined;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private pumping = false;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: EsdbSubscriptionOptions,
    private readonly handler: SubscriptionHandler,
    private readonly callbacks: SubscriptionCallbacks | undefined,
  ) {
    this.from = options.from;
    this.lastSeen = options.from?.commit;
    this.caughtUp = new Promise<void>((resolve, reject) => {
      this.resolveCaughtUp = resolve;
      this.rejectCaughtUp = reject;
    });
    this.caughtUp.catch(() => undefined);
    this.connect();
  }

  async close(): Promise<void> {
    if (!this.closed) this.stop(new SubscriptionClosedError());
    await this.inFlight;
  }

  private connect(): void {
    if (this.closed) return;
    const generation = ++this.generation;
    this.queue = [];
    this.received = 0;
    this.handed = 0;
    this.caughtUpAt = undefined;
    const subscription = this.options.open(this.from);
    this.current = subscription;
    const live = () => generation === this.generation && !this.closed;
    subscription.on('confirmation', () => {
      if (live()) this.failures = 0;
    });
    subscription.on('data', (resolved: AllStreamResolvedEvent) => {
      if (!live()) return;
      this.failures = 0;
      this.queue.push(resolved);
      this.received += 1;
      if (this.queue.length >= 2 * this.options.batchSize) subscription.pause();
      this.schedule();
    });
    subscription.on('caughtUp', () => {
      if (!live()) return;
      // Events sent before caught_up are either received already or still in the stream's buffer.
      this.caughtUpAt = this.received + subscription.readableLength;
      this.schedule();
    });
    subscription.on('error', (error: Error) => {
      if (live()) this.reconnect(error);
    });
    subscription.on('end', () => {
      if (live()) this.reconnect(new SubscriptionEnded('the server ended the subscription'));
    });
  }

  private reconnect(error: Error): void {
    this.generation += 1;
    this.queue = [];
    void this.current?.unsubscribe().catch(() => undefined);
    this.current = undefined;
    if (!(error instanceof SubscriptionEnded) && !isTransient(error)) return this.fail(mapEsdbError(error));
    this.failures += 1;
    if (this.failures >= this.options.retry.attempts) {
      return this.fail(new EventStoreUnavailableError('the subscription cannot reach EventStoreDB', { cause: error }));
    }
    const { firstDelayMs, maxDelayMs } = this.options.retry;
    const delay = Math.min(firstDelayMs * 2 ** (this.failures - 1), maxDelayMs);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private schedule(): void {
    if (this.pumping || this.closed) return;
    this.pumping = true;
    // One turn later, so that a burst of pushed events forms one batch.
    setImmediate(() => {
      this.inFlight = this.pump();
    });
  }

  private async pump(): Promise<void> {
    try {
      for (;;) {
        if (!this.isCaughtUp && this.caughtUpAt !== undefined && this.handed >= this.caughtUpAt) {
          this.isCaughtUp = true;
          this.resolveCaughtUp();
        }
        if (this.closed || this.queue.length === 0) {
          this.pumping = false; // in the same turn as the check: a later push schedules again
          return;
        }
        const batch = this.queue.splice(0, this.options.batchSize);
        const generation = this.generation;
        if (this.current?.isPaused() && this.queue.length <= this.options.batchSize) this.current.resume();
        const events: RecordedEvent[] = [];
        for (const resolved of batch) {
          const event = toRecordedEvent(resolved);
          if (this.lastSeen !== undefined && event.position <= this.lastSeen) continue;
          this.lastSeen = event.position;
          this.from = positionOf(resolved);
          if (this.options.accepts(event)) events.push(event);
        }
        if (events.length > 0) await this.handler(events);
        if (generation === this.generation) this.handed += batch.length;
      }
    } catch (error) {
      this.pumping = false;
      if (!this.closed) this.fail(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private fail(error: Error): void {
    this.stop(error);
    this.callbacks?.onError?.(error);
  }

  private stop(reason: Error): void {
    this.closed = true;
    this.generation += 1;
    clearTimeout(this.retryTimer);
    void this.current?.unsubscribe().catch(() => undefined);
    this.current = undefined;
    this.queue = [];
    if (!this.isCaughtUp) this.rejectCaughtUp(reason);
    this.options.onStop(this);
  }
}
