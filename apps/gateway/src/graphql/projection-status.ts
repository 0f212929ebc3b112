import type { EventStore } from '@chronicle/event-store';
import type { ProjectionStatusView } from '@chronicle/read-model';
import type { ProjectionStatusType } from './projection.types.js';

/** Lag is counted up to this many events: an exact count of a huge backlog costs more than it tells. */
export const LAG_COUNT_LIMIT = 10_000;
/** Behind, and the checkpoint has not moved for this long: STALLED. */
export const STALLED_AFTER_MS = 30_000;
/** The streams the read-model projections read. */
const PROJECTED_STREAMS = { streamPrefixes: ['execution-', 'flow-'] };

/** A projection's checkpoint against the head of the event store. */
export async function projectionStatus(store: EventStore, checkpoint: ProjectionStatusView, now: string): Promise<ProjectionStatusType> {
  const position = BigInt(checkpoint.position);
  const [head, [oldest], backlog] = await Promise.all([
    store.headPosition(),
    store.readAll({ after: position, maxCount: 1, filter: PROJECTED_STREAMS }),
    store.readAll({ after: position, maxCount: LAG_COUNT_LIMIT, filter: PROJECTED_STREAMS }),
  ]);
  const nowMs = Date.parse(now);
  const lagSeconds = oldest ? Math.max(0, (nowMs - Date.parse(oldest.recordedAt)) / 1000) : 0;
  const stale = nowMs - Date.parse(checkpoint.updatedAt) > STALLED_AFTER_MS;
  return {
    name: checkpoint.name,
    position: checkpoint.position,
    headPosition: head?.toString(),
    lagEvents: backlog.length,
    lagSeconds,
    state: backlog.length === 0 ? 'LIVE' : stale ? 'STALLED' : 'CATCHING_UP',
    errors: checkpoint.errors,
    updatedAt: checkpoint.updatedAt,
  };
}
