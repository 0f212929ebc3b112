import { CodedError } from '@chronicle/errors';

/** Raised by `waitForPosition` when the position is not committed in time. */
export class PositionWaitTimeoutError extends CodedError {
  constructor(readonly position: bigint, readonly timeoutMs: number) {
    super('POSITION_WAIT_TIMEOUT', `the read model did not reach position ${position} within ${timeoutMs} ms`);
  }
}

/** The last committed position of a projection and who waits for it. */
export class CommittedPositions {
  private position: bigint | undefined;
  private readonly listeners = new Set<(position: bigint) => void>();

  current(): bigint | undefined {
    return this.position;
  }

  advance(position: bigint | undefined): void {
    if (position === undefined || (this.position !== undefined && position <= this.position)) return;
    this.position = position;
    for (const listener of [...this.listeners]) {
      try {
        listener(position);
      } catch {
        // A listener's failure is its own business; the projection goes on.
      }
    }
  }

  /**
   * Back to `position` (undefined: before the first batch), without telling anyone: commits past
   * it were lost (see ExecutionProjector). Who waited for them was answered already; who waits for
   * a later position is answered when the projection gets there again.
   */
  rewind(position: bigint | undefined): void {
    if (position === undefined || this.position === undefined || position < this.position) this.position = position;
  }

  listen(listener: (position: bigint) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  waitFor(position: bigint, timeoutMs?: number): Promise<void> {
    if (this.position !== undefined && this.position >= position) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => {
        unlisten();
        reject(new PositionWaitTimeoutError(position, timeoutMs));
      }, timeoutMs);
      const unlisten = this.listen((committed) => {
        if (committed < position) return;
        clearTimeout(timer);
        unlisten();
        resolve();
      });
    });
  }
}
