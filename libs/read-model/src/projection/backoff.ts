import { CodedError } from '@chronicle/errors';
export interface BackoffOptions {
  /** First delay after a failure (default 100 ms). */
  readonly initialDelayMs?: number;
  /** Cap of the doubling delay (default 10 s). */
  readonly maxDelayMs?: number;
}

/** Raised when a retry loop gives up because its owner is stopping. */
export class ProjectionStoppedError extends CodedError {
  constructor() {
    super('PROJECTION_STOPPED', 'the projection is stopping');
  }
}

/**
 * Runs `attempt` until it succeeds, doubling the pause after each failure. Only `signal`
 * ends the loop: a projection must not skip a batch because its database blinked.
 */
export async function retryWithBackoff<T>(
  attempt: () => Promise<T>,
  signal: AbortSignal,
  onFailure: (error: unknown, attemptNumber: number, delayMs: number) => void,
  options: BackoffOptions = {},
): Promise<T> {
  let delay = options.initialDelayMs ?? 100;
  const max = options.maxDelayMs ?? 10_000;
  for (let n = 1; ; n++) {
    if (signal.aborted) throw new ProjectionStoppedError();
    try {
      return await attempt();
    } catch (error) {
      if (signal.aborted) throw new ProjectionStoppedError();
      onFailure(error, n, delay);
      await sleep(delay, signal);
      delay = Math.min(delay * 2, max);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
