import type { SingleBar } from 'cli-progress';

/** One request of an open-loop run: its index, whether it is measured (past the warm-up), and when it was due. */
export interface ScheduledRequest {
  readonly index: number;
  readonly measured: boolean;
  /** performance.now() at which the schedule sends it. */
  readonly due: number;
}

export interface OpenLoopPace {
  readonly perMinute: number;
  readonly warmupSeconds: number;
  readonly holdSeconds: number;
  readonly bar?: SingleBar;
}

/**
 * The open-loop schedule both loads share: requests leave at a fixed rate whatever the system
 * answers, so a slow system cannot slow the offered rate down (no coordinated omission). The
 * warm-up requests are sent but marked unmeasured. `send` starts one request and is not awaited
 * before the next leaves; the answer is every request's outcome, in sending order.
 */
export async function onOpenLoopSchedule<T>(pace: OpenLoopPace, send: (request: ScheduledRequest) => Promise<T>): Promise<{ outcomes: T[]; firstMeasuredAt: number }> {
  const interval = 60_000 / pace.perMinute;
  const warmup = Math.round((pace.warmupSeconds * 1000) / interval);
  const measured = Math.max(1, Math.round((pace.holdSeconds * 1000) / interval));
  const t0 = performance.now();
  const pending: Promise<T>[] = [];
  for (let index = 0; index < warmup + measured; index++) {
    const due = t0 + index * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    // Behind schedule (a busy machine), the catch-up would send thousands without yielding: the
    // answers that arrived meanwhile would be read (and timed) only after it.
    else if (index % 50 === 0) await new Promise((r) => setImmediate(r));
    pending.push(send({ index, measured: index >= warmup, due }));
    pace.bar?.increment();
  }
  return { outcomes: await Promise.all(pending), firstMeasuredAt: t0 + warmup * interval };
}
