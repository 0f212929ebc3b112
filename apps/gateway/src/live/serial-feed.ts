import { AsyncQueue } from './async-queue.js';

/**
 * A subscriber's feed: steps (catch-up reads, live deliveries) run one after another in the
 * order they were scheduled, so what was read from the store and what arrives live leave in
 * order. A failed step ends the feed with its error.
 */
export class SerialFeed<T> {
  readonly queue: AsyncQueue<T>;
  private chain: Promise<void> = Promise.resolve();
  private stopLive: () => void = () => undefined;

  constructor() {
    this.queue = new AsyncQueue<T>(() => this.stopLive());
  }

  /** The function that stops the live listener when the subscriber goes away. */
  onStop(stop: () => void): void {
    this.stopLive = stop;
  }

  run(step: () => Promise<void> | void): void {
    this.chain = this.chain.then(step).catch((error: unknown) => this.queue.fail(error instanceof Error ? error : new Error(String(error))));
  }

  push(item: T): void {
    this.queue.push(item);
  }
}
