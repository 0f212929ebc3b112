import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The kafkajs release this corrects (its last, December 2024); another version is left as it is and gets its own look. */
export const KAFKAJS_IDLE_SPIN_VERSION = '2.2.4';
/** kafkajs's own CHECK_PENDING_REQUESTS_INTERVAL: how soon a waiting request is looked at again when not throttled. */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

/** The part of kafkajs's RequestQueue (one per broker connection) the correction touches. */
export interface KafkajsRequestQueue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: ReturnType<typeof setTimeout> | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

/**
 * kafkajs 2.2.4 spins on every idle connection. Each answer ends in `checkPendingRequests`, which
 * calls `scheduleCheckPendingRequests`; with nothing pending and no throttle that sets a timer of
 * `throttledUntil - now` (negative, so 1 ms) whose callback calls `checkPendingRequests` again:
 * about a thousand timer callbacks a second per connection, for ever, doing nothing (kafkajs
 * issues #1556 and #1704; the fix proposed in PR #1667 was never released). In Chronicle's idle
 * services this loop was the largest item of their CPU profiles (2026-12-07-distributed-2.md).
 *
 * With nothing pending there is nothing to check later: a request that must wait is put on
 * `pending` by `push`, which schedules the check then, and every answer or timeout checks the
 * queue itself. So the check is scheduled only while something waits, at the end of the
 * throttle or after kafkajs's 10 ms; otherwise as kafkajs does. Applied once per process.
 */
export function fixKafkajsIdleSpin(): boolean {
  if (applied !== undefined) return applied;
  const { version } = require('kafkajs/package.json') as { version: string };
  applied = version === KAFKAJS_IDLE_SPIN_VERSION;
  if (applied) kafkajsRequestQueue().prototype.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
  return applied;
}

let applied: boolean | undefined;

/** kafkajs's RequestQueue class (not exported by its index: its source file, the one kafkajs itself loads). */
export function kafkajsRequestQueue(): { prototype: KafkajsRequestQueue; new (options: Record<string, unknown>): KafkajsRequestQueue } {
  return require('kafkajs/src/network/requestQueue/index.js') as ReturnType<typeof kafkajsRequestQueue>;
}

function scheduleCheckPendingRequests(this: KafkajsRequestQueue): void {
  if (this.pending.length === 0 || this.throttleCheckTimeoutId) return;
  const throttledForMs = this.throttledUntil - Date.now();
  this.throttleCheckTimeoutId = setTimeout(() => {
    this.throttleCheckTimeoutId = null;
    this.checkPendingRequests();
  }, throttledForMs > 0 ? throttledForMs : CHECK_PENDING_REQUESTS_INTERVAL_MS);
}
