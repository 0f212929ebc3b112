import { afterEach, describe, expect, it } from 'vitest';
import { fixKafkajsIdleSpin, kafkajsRequestQueue, type KafkajsRequestQueue } from './kafkajs-idle-spin.js';

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** kafkajs's own RequestQueue of one broker connection (no socket: requests are never sent here). */
function requestQueue(): KafkajsRequestQueue & { destroy(): void } {
  const RequestQueue = kafkajsRequestQueue();
  return new RequestQueue({ maxInFlightRequests: null, requestTimeout: 30_000, enforceRequestTimeout: false, clientId: 'spec', broker: 'localhost:1', logger: silent }) as KafkajsRequestQueue & { destroy(): void };
}

describe("kafkajs 2.2.4's idle connection spin, corrected", () => {
  const queues: Array<{ destroy(): void }> = [];
  afterEach(() => queues.splice(0).forEach((q) => q.destroy()));

  it('applies to the installed kafkajs (2.2.4), once', () => {
    expect(fixKafkajsIdleSpin()).toBe(true);
    expect(fixKafkajsIdleSpin()).toBe(true);
  });

  it('an answer on an idle connection (nothing pending) leaves no timer behind: nothing to check later', () => {
    fixKafkajsIdleSpin();
    const queue = requestQueue();
    queues.push(queue);
    // What every answer and timeout runs (fulfillRequest, a request's timeout).
    queue.checkPendingRequests();
    expect(queue.throttleCheckTimeoutId).toBeNull();
    // Throttled by the broker but with nothing waiting: still nothing to schedule.
    queue.throttledUntil = Date.now() + 60_000;
    queue.checkPendingRequests();
    expect(queue.throttleCheckTimeoutId).toBeNull();
  });

  it('a request waiting for the end of a throttle is checked then, as kafkajs does', async () => {
    fixKafkajsIdleSpin();
    const queue = requestQueue();
    queues.push(queue);
    let checks = 0;
    // Counted instead of run: the request below is no real SocketRequest to send.
    queue.checkPendingRequests = () => {
      checks++;
    };
    queue.pending.push({ waiting: true });
    queue.throttledUntil = Date.now() + 30;
    queue.scheduleCheckPendingRequests();
    expect(queue.throttleCheckTimeoutId).not.toBeNull();
    // One timer at a time while something waits.
    const first = queue.throttleCheckTimeoutId;
    queue.scheduleCheckPendingRequests();
    expect(queue.throttleCheckTimeoutId).toBe(first);
    await expect.poll(() => checks, { timeout: 30_000 }).toBe(1);
    expect(queue.throttleCheckTimeoutId).toBeNull();
  });
});
