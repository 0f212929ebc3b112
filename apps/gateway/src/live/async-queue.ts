/**
 * A push-based async iterator: producers `push`, one consumer iterates; `return()` (the
 * client went away) runs the cleanup. Bounded: a subscriber that cannot keep up is
 * ended with an error rather than growing memory without limit.
 */
export class AsyncQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private readonly waiting: Array<(result: IteratorResult<T>) => void> = [];
  private done = false;
  private failure?: Error;

  constructor(private readonly cleanup: () => void, private readonly limit = 10_000) {}

  push(item: T): void {
    if (this.done) return;
    const waiter = this.waiting.shift();
    if (waiter) waiter({ value: item, done: false });
    else if (this.items.length >= this.limit) this.fail(new Error('subscriber too slow: too many undelivered updates'));
    else this.items.push(item);
  }

  fail(error: Error): void {
    this.failure = error;
    void this.return();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.items.length > 0) return Promise.resolve({ value: this.items.shift()!, done: false });
    if (this.failure) return Promise.reject(this.failure);
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  return(): Promise<IteratorResult<T>> {
    if (!this.done) {
      this.done = true;
      this.cleanup();
      for (const waiter of this.waiting.splice(0)) waiter({ value: undefined, done: true });
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
