/** How to make, start and dispose of one instance of a consumer (a kafkajs consumer, in production). */
export interface ReplaceableConsumer<C> {
  /** A new instance, not started yet. */
  create(): C;
  /** Connects and starts it; rejects when it cannot (the broker down). */
  start(instance: C): Promise<void>;
  dispose(instance: C): Promise<void>;
}

/**
 * Keeps one live instance of a consumer. kafkajs restarts a consumer only after an error it deems
 * retriable; after any other crash (e.g. "Failed to find group coordinator", which a broker that
 * is shutting down causes) the consumer is dead, silently. The replacer starts a new instance
 * after `retryMs`, and keeps trying until one starts: while the broker is still down, each attempt
 * fails, and giving up after one left a service without its consumer for good (the chaos run's
 * lost triggers and stranded executions after a broker restart).
 */
export class ConsumerReplacer<C> {
  private instance?: C;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly consumer: ReplaceableConsumer<C>,
    private readonly retryMs: number,
    /** Told of each replacement that could not start (it is tried again). */
    private readonly onStartFailure: (error: unknown) => void,
  ) {}

  /** The live instance (or the one being started): events of any other one are stale. */
  get current(): C | undefined {
    return this.instance;
  }

  /** The first instance; a failure to start goes to the caller. */
  async start(): Promise<void> {
    await this.consumer.start(this.next());
  }

  /** `crashed` will not restart by itself: a new instance replaces it (unless one already did). */
  replace(crashed: C): void {
    if (this.stopped || crashed !== this.instance) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.stopped || crashed !== this.instance) return;
      void this.consumer.dispose(crashed).catch(() => undefined);
      const replacement = this.next();
      this.consumer.start(replacement).catch((error: unknown) => {
        this.onStartFailure(error);
        // The replacement is the current instance now: it is the one to replace next.
        this.replace(replacement);
      });
    }, this.retryMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.instance !== undefined) await this.consumer.dispose(this.instance);
  }

  /** A new instance becomes current before it starts, so that a crash while starting counts. */
  private next(): C {
    this.instance = this.consumer.create();
    return this.instance;
  }
}
