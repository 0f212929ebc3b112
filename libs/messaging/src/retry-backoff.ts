import { setTimeout as sleep } from 'node:timers/promises';

export interface RetryBackoff {
  /** First delay after a failure (default 100 ms). */
  readonly initialMs?: number;
  /** Upper bound of the delay (default 30 s). */
  readonly maxMs?: number;
}

/** Exponential backoff with full jitter over [delay/2, delay]; `attempt` starts at 1. */
export function backoffDelay(attempt: number, backoff: RetryBackoff = {}): number {
  const initial = backoff.initialMs ?? 100;
  const max = backoff.maxMs ?? 30_000;
  const delay = Math.min(max, initial * 2 ** Math.min(attempt - 1, 30));
  return delay / 2 + Math.random() * (delay / 2);
}

/** Sleeps, or returns early (without throwing) when the signal aborts: stopping a consumer cuts a backoff short. */
export async function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}
