import type { RecordedEvent } from '../event-store.port.js';

/**
 * One append of this process, handed to its subscriptions instead of being read back from the
 * log (PostgresEventStore in standalone mode: the execution projector, the outbox relay, the
 * flow-trigger listener all follow the log the same process writes).
 *
 * `after` is the head of the log the append saw under its append lock: the last committed
 * position before its first event (undefined: the log was empty). Appends commit in position
 * order (postgres-schema.ts), so no event lies between `after` and the first of `events`, and a
 * subscription whose last position is exactly `after` may take them as the next events of the
 * log. Any other subscription reads (CatchUpSubscription.offer).
 */
export interface AppendedEvents {
  readonly after: bigint | undefined;
  /** Every event of the append, in position order, exactly as a read gives them. */
  readonly events: readonly RecordedEvent[];
}
