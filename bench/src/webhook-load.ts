import { Agent, request } from 'node:http';
import type { SingleBar } from 'cli-progress';
import { onOpenLoopSchedule } from './open-loop-schedule.js';

/**
 * Kept-alive connections, as many as requests in flight. node:http, not `fetch`: the generator
 * shares the cores with the system it loads, and `fetch` (WHATWG streams, a Response per call)
 * costs it several times the CPU per request; at 48,000/min it fell seconds behind its own
 * schedule, and that lateness was counted as the system's (2026-12-07-distributed-2.md).
 */
const agent = new Agent({ keepAlive: true, maxSockets: Infinity });

export interface WebhookOutcome {
  readonly measured: boolean;
  /** 'ok' (200, SUCCESS), 'refused' (429/503 with Retry-After), 'refused-no-retry-after', 'still-running' (202), or the failure. */
  readonly kind: string;
  readonly ms: number;
  /** A refusal's reason: its message with the numbers taken out (which bound refused it). */
  readonly refusal?: string;
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
  const done = (kind: string, refusal?: string) => ({ measured, kind, ms: performance.now() - due, sentLateMs, endedAt: performance.now(), ...(refusal ? { refusal } : {}) });
  try {
    const res = await post(url, JSON.stringify({ name: `r${i}` }), timeoutMs);
    const body = res.body;
    if (res.status === 429 || res.status === 503) return done(res.retryAfter ? 'refused' : 'refused-no-retry-after', refusalReason(body));
    if (res.status === 202) return done('still-running');
    if (res.status !== 200) return done(`http_${res.status}`);
    return done((JSON.parse(body) as { state?: { current?: string } }).state?.current === 'SUCCESS' ? 'ok' : 'not-success');
  } catch (error) {
    return done((error as Error).name === 'TimeoutError' ? 'timeout' : 'error');
  }
}

/** One JSON POST: its status, Retry-After and body; a TimeoutError past `timeoutMs`. */
function post(url: string, body: string, timeoutMs: number): Promise<{ status: number; retryAfter: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, signal: AbortSignal.timeout(timeoutMs) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', (error: Error) => reject(error.name === 'AbortError' ? Object.assign(new Error('timed out'), { name: 'TimeoutError' }) : error));
    req.end(body);
  });
}

/** `Chronicle is at capacity (12 executions in flight, ...)` → `at capacity (N executions in flight, ...)`: which bound refused. */
function refusalReason(body: string): string | undefined {
  try {
    const message = (JSON.parse(body) as { message?: string }).message;
    return message?.replace(/^Chronicle is /, '').replace(/; nothing was started.*$/, '').replace(/\d+/g, 'N');
  } catch {
    return undefined;
  }
}

export function countKinds(outcomes: readonly WebhookOutcome[]): Record<string, number> {
  const kinds: Record<string, number> = {};
  for (const o of outcomes) kinds[o.kind] = (kinds[o.kind] ?? 0) + 1;
  return kinds;
}
