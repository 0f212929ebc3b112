import { matchesFilter } from '../append-request.validation.js';
import type { EventFilter, RecordedEvent } from '../event-store.port.js';
import type { ReadAfter } from './catch-up-subscription.js';

interface PendingRead {
  readonly after: bigint | undefined;
  readonly maxCount: number;
  readonly filter: EventFilter | undefined;
  readonly resolve: (result: { readonly events: RecordedEvent[]; readonly scannedTo?: bigint }) => void;
  readonly reject: (error: unknown) => void;
}

/** Rows one shared read asks for at least (a subscription's own batch may ask for more). */
const SHARED_ROWS = 1000;

/**
 * One append wakes every subscription of the process at once (a NOTIFY), and each used to read
 * the log on its own: five reads of the same new rows per append in standalone, the largest
 * item of its query count. The reads asked for in the same tick are served by ONE unfiltered
 * read from the smallest `after`, each filtered here (the rows are parsed once, not five times).
 *
 * The answer keeps ReadAfter's contract: `scannedTo` is the position up to which the shared
 * read looked (the head when it came back short, else its last row), and a subscription whose
 * range the shared read did not reach reads on its own. Subscribers share the event objects:
 * handlers must not mutate them (none does; the domain copies on write).
 */
export class CoalescingReader {
  private pending: PendingRead[] = [];

  constructor(private readonly readOnce: ReadAfter) {}

  readonly read: ReadAfter = (after, maxCount, filter) =>
    new Promise((resolve, reject) => {
      this.pending.push({ after, maxCount, filter, resolve, reject });
      if (this.pending.length === 1) queueMicrotask(() => void this.flush());
    });

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 1) return this.alone(batch[0]!);
    let from: bigint | undefined = batch[0]!.after;
    for (const r of batch) if (r.after === undefined || (from !== undefined && r.after < from)) from = r.after;
    const limit = Math.max(SHARED_ROWS, ...batch.map((r) => r.maxCount));
    let shared: { readonly events: RecordedEvent[]; readonly scannedTo?: bigint };
    try {
      shared = await this.readOnce(from, limit, undefined);
    } catch (error) {
      for (const r of batch) r.reject(error);
      return;
    }
    const complete = shared.events.length < limit;
    const covered = complete ? shared.scannedTo : shared.events[shared.events.length - 1]?.position;
    for (const r of batch) {
      // The shared read stopped short of this subscription's range: it reads for itself.
      if (!complete && (covered === undefined || (r.after !== undefined && r.after >= covered))) {
        this.alone(r);
        continue;
      }
      const served = servedFrom(shared.events, r, covered);
      if (complete || served.events.length >= r.maxCount) {
        r.resolve(served);
        continue;
      }
      // The shared rows ran out before this subscription's filter filled its batch. A short batch
      // tells the subscription it has caught up, so the rest must come from its own read after
      // them: otherwise a decision of thousands of events left a filtered subscription (the outbox
      // relay) behind until the next append woke it, which in a quiet system meant never.
      this.readOnce(covered, r.maxCount - served.events.length, r.filter).then(
        (rest) => r.resolve({ events: [...served.events, ...rest.events], ...(rest.scannedTo !== undefined ? { scannedTo: rest.scannedTo } : {}) }),
        r.reject,
      );
    }
  }

  private alone(r: PendingRead): void {
    this.readOnce(r.after, r.maxCount, r.filter).then(r.resolve, r.reject);
  }
}

/** One subscription's answer out of the shared rows (a full batch says nothing of `scannedTo`: it reads again). */
export function servedFrom(
  rows: readonly RecordedEvent[],
  request: { readonly after: bigint | undefined; readonly maxCount: number; readonly filter: EventFilter | undefined },
  covered: bigint | undefined,
): { readonly events: RecordedEvent[]; readonly scannedTo?: bigint } {
  const events: RecordedEvent[] = [];
  for (const event of rows) {
    if (request.after !== undefined && event.position <= request.after) continue;
    if (!matchesFilter(event, request.filter)) continue;
    events.push(event);
    if (events.length === request.maxCount) return { events };
  }
  return covered === undefined ? { events } : { events, scannedTo: covered };
}
