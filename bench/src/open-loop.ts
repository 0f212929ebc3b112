import type { SingleBar } from 'cli-progress';
import type { ExecutionTracker } from './execution-tracker.js';
import { onOpenLoopSchedule } from './open-loop-schedule.js';

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
 * Open-loop load of executions started through `start` (onOpenLoopSchedule: a fixed schedule,
 * warm-up sent but not measured), each followed to its end by the tracker. Achieved rate =
 * measured executions that ended SUCCESS, over the time from the first measured request to the
 * last measured completion.
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
  const { outcomes: all } = await onOpenLoopSchedule(options, ({ measured }) => {
    const sentAt = performance.now();
    let acceptedAt = NaN;
    return options
      .start()
      .then((id) => ((acceptedAt = performance.now()), withTimeout(options.tracker.wait(id), options.timeoutMs ?? 60_000)))
      .then((c) => ({ measured, sentAt, acceptedAt, state: c.state, seenAt: c.seenAt, ownMs: c.ownMs }))
      .catch(() => ({ measured, sentAt, acceptedAt, state: 'ERROR', seenAt: NaN, ownMs: NaN }));
  });
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
