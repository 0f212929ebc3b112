import type { SingleBar } from 'cli-progress';
import type { ExecutionTracker } from './execution-tracker.js';

export interface StepResult {
  readonly offeredPerMin: number;
  readonly sent: number;
  /** Executions that ended SUCCESS, warm-up included (what the step's CPU paid for). */
  readonly startedTotal: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly achievedPerMin: number;
  readonly clientMs: number[];
  readonly ownMs: number[];
  /** Request sent → the webhook's answer (the execution is created): the gateway's share of `clientMs`. */
  readonly acceptedMs: number[];
}

/**
 * Open-loop load: requests leave on a fixed schedule whatever the system's answers, so a slow
 * system cannot slow the offered rate down (no coordinated omission). Warm-up requests are
 * sent but not measured. Achieved rate = measured executions that ended SUCCESS, over the time
 * from the first measured request to the last measured completion.
 */
export async function runOpenLoop(options: {
  readonly perMinute: number;
  readonly warmupSeconds: number;
  readonly holdSeconds: number;
  readonly start: () => Promise<string>;
  readonly tracker: ExecutionTracker;
  readonly bar?: SingleBar;
  readonly timeoutMs?: number;
}): Promise<StepResult> {
  const interval = 60_000 / options.perMinute;
  const warmup = Math.round((options.warmupSeconds * 1000) / interval);
  const measured = Math.max(1, Math.round((options.holdSeconds * 1000) / interval));
  const t0 = performance.now();
  const pending: Array<Promise<{ measured: boolean; sentAt: number; acceptedAt: number; state: string; seenAt: number; ownMs: number }>> = [];
  for (let i = 0; i < warmup + measured; i++) {
    const due = t0 + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const sentAt = performance.now();
    const isMeasured = i >= warmup;
    let acceptedAt = NaN;
    pending.push(
      options
        .start()
        .then((id) => ((acceptedAt = performance.now()), withTimeout(options.tracker.wait(id), options.timeoutMs ?? 60_000)))
        .then((c) => ({ measured: isMeasured, sentAt, acceptedAt, state: c.state, seenAt: c.seenAt, ownMs: c.ownMs }))
        .catch(() => ({ measured: isMeasured, sentAt, acceptedAt, state: 'ERROR', seenAt: NaN, ownMs: NaN })),
    );
    options.bar?.increment();
  }
  const all = await Promise.all(pending);
  const results = all.filter((r) => r.measured);
  const ok = results.filter((r) => r.state === 'SUCCESS');
  const firstSent = Math.min(...results.map((r) => r.sentAt));
  const lastSeen = Math.max(...ok.map((r) => r.seenAt));
  const minutes = ok.length > 0 ? (lastSeen - firstSent) / 60_000 : NaN;
  return {
    offeredPerMin: options.perMinute,
    sent: results.length,
    startedTotal: all.filter((r) => r.state === 'SUCCESS').length,
    succeeded: ok.length,
    failed: results.length - ok.length,
    achievedPerMin: ok.length > 0 ? Math.round(ok.length / minutes) : 0,
    clientMs: ok.map((r) => r.seenAt - r.sentAt),
    ownMs: ok.map((r) => r.ownMs).filter(Number.isFinite),
    acceptedMs: ok.map((r) => r.acceptedAt - r.sentAt),
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);
}
