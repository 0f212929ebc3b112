import { setTimeout as sleep } from 'node:timers/promises';

export interface RetryBackoff {
  /** First delay after a failure (default 100 ms). */
  readonly initialMs?: number;
  /**
   * Upper bound of the delay (default 2 s). Most failures are an outage (Postgres or the broker
   * restarting): with a 30 s bound a consumer that had failed through one waited up to half a
   * minute more after the server was back (the chaos run saw a 36 s gap between attempts). A record
   * that keeps failing costs one attempt every second or two, and readiness names it.
   */
  readonly maxMs?: number;
}

/** Exponential backoff with full jitter over [delay/2, delay]; `attempt` starts at 1. */
export function backoffDelay(attempt: number, backoff: RetryBackoff = {}): number {
  const initial = backoff.initialMs ?? 100;
  const max = backoff.maxMs ?? 2000;
  const delay = Math.min(max, initial * 2 ** Math.min(attempt - 1, 30));
  return delay / 2 + Math.random() * (delay / 2);
}

/** Sleeps, or returns early (without throwing) when the signal aborts: stopping a consumer cuts a backoff short. */
export async function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}
