import type { SingleBar } from 'cli-progress';
import { onOpenLoopSchedule } from './open-loop-schedule.js';

export interface WebhookOutcome {
  readonly measured: boolean;
  /** 'ok' (200, SUCCESS), 'refused' (429/503 with Retry-After), 'refused-no-retry-after', 'still-running' (202), or the failure. */
  readonly kind: string;
  readonly ms: number;
  /** How late the load generator sent it (its own loop's delay, not the system's), ms after `due`. */
  readonly sentLateMs: number;
  readonly endedAt: number;
}

export interface WebhookLoadResult {
  readonly outcomes: readonly WebhookOutcome[];
  /** performance.now() of the first measured request. */
  readonly firstMeasuredAt: number;
}

/**
 * Open-loop load of one synchronous call each (onOpenLoopSchedule): `POST <webhook>?wait=true`
 * answers once the execution ended (or refuses at once under admission control). Latency runs
 * from the scheduled send to the answer.
 */
export async function webhookOpenLoop(options: {
  readonly url: string;
  readonly perMinute: number;
  readonly warmupSeconds: number;
  readonly holdSeconds: number;
  readonly bar?: SingleBar;
  readonly timeoutMs?: number;
}): Promise<WebhookLoadResult> {
  return onOpenLoopSchedule(options, ({ index, measured, due }) => call(options.url, index, measured, due, options.timeoutMs ?? 60_000));
}

async function call(url: string, i: number, measured: boolean, due: number, timeoutMs: number): Promise<WebhookOutcome> {
  const sentLateMs = performance.now() - due;
  const done = (kind: string) => ({ measured, kind, ms: performance.now() - due, sentLateMs, endedAt: performance.now() });
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: `r${i}` }), signal: AbortSignal.timeout(timeoutMs) });
    const body = await res.text();
    if (res.status === 429 || res.status === 503) return done(res.headers.get('retry-after') ? 'refused' : 'refused-no-retry-after');
    if (res.status === 202) return done('still-running');
    if (res.status !== 200) return done(`http_${res.status}`);
    return done((JSON.parse(body) as { state?: { current?: string } }).state?.current === 'SUCCESS' ? 'ok' : 'not-success');
  } catch (error) {
    return done((error as Error).name === 'TimeoutError' ? 'timeout' : 'error');
  }
}

export function countKinds(outcomes: readonly WebhookOutcome[]): Record<string, number> {
  const kinds: Record<string, number> = {};
  for (const o of outcomes) kinds[o.kind] = (kinds[o.kind] ?? 0) + 1;
  return kinds;
}
