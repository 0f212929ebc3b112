import { evolve, executionStreamId, type ExecutionState } from '@chronicle/domain';
import { toDomainEvent } from '@chronicle/contracts';
import type { EventStore, RecordedEvent } from '@chronicle/event-store';
import { encodeCursor, toExecutionView, type ExecutionView, type LogView, type ReadModelQueries } from '@chronicle/read-model';
import type { LiveUpdates } from './live-updates.js';
import { SerialFeed } from './serial-feed.js';

/** An event as subscribers see it (the GraphQL ExecutionEvent, the SSE message). */
export interface FeedEvent {
  readonly position: string;
  readonly revision: number;
  readonly type: string;
  readonly data: unknown;
  readonly occurredAt: string;
  /** Not in the schema: whose secrets to hide in `data` (ExecutionEventSecretsResolver, SSE). */
  readonly streamId?: string;
}

export interface FeedDeps {
  readonly store: EventStore;
  readonly live: LiveUpdates;
  readonly readModel: ReadModelQueries;
}

const STORE_PAGE = 500;

export const toFeedEvent = (event: RecordedEvent): FeedEvent => ({
  position: event.position.toString(),
  revision: Number(event.revision),
  type: event.type,
  // Subscribers see the current schema, whatever version the event was stored with.
  data: toDomainEvent(event).data,
  occurredAt: event.metadata.occurredAt ?? event.recordedAt,
  streamId: event.streamId,
});

/**
 * Every event of one execution after `afterRevision`, in order, each once: what the store
 * holds first, then what arrives live. The live listener is registered before the store is
 * read, so nothing falls between the two; a live batch that skips revisions (an update lost
 * on the bus) is filled from the store.
 */
export function executionEventFeed(deps: FeedDeps, executionId: string, afterRevision = -1): SerialFeed<FeedEvent> {
  const feed = new SerialFeed<FeedEvent>();
  let last = afterRevision;
  const fromStore = async () => {
    for (;;) {
      const page = await deps.store.readStream(executionStreamId(executionId), { fromRevision: BigInt(last + 1), maxCount: STORE_PAGE });
      for (const event of page) {
        feed.push(toFeedEvent(event));
        last = Number(event.revision);
      }
      if (page.length < STORE_PAGE) return;
    }
  };
  feed.onStop(deps.live.onExecution(executionId, (update) => {
    if (update.kind !== 'execution') return;
    feed.run(async () => {
      const events = update.events.filter((e) => e.revision > last);
      if (events.length > 0 && events[0]!.revision > last + 1) await fromStore();
      for (const event of events) {
        if (event.revision <= last) continue;
        feed.push({ ...event, streamId: executionStreamId(executionId) });
        last = event.revision;
      }
    });
  }));
  feed.run(fromStore);
  return feed;
}

/**
 * The execution's views after `afterRevision`: on (re)connection, the states it went through
 * since (folded from the store: one per execution-level state change, then the latest), then
 * every live update, in order, each revision once. Without `afterRevision`: the latest state,
 * then live updates.
 */
export function executionStateFeed(deps: FeedDeps, executionId: string, afterRevision?: number): SerialFeed<ExecutionView> {
  const feed = new SerialFeed<ExecutionView>();
  let last = afterRevision ?? -1;
  const fromStore = async () => {
    const events = await deps.store.readStream(executionStreamId(executionId));
    let state: ExecutionState = undefined;
    const states: ExecutionView[] = [];
    for (const recorded of events) {
      const before = state;
      state = evolve(state, toDomainEvent(recorded));
      if (afterRevision !== undefined && before !== undefined && state!.state !== before.state && before.revision > last) states.push(toExecutionView(before));
    }
    if (state !== undefined) states.push(toExecutionView(state));
    for (const s of states) {
      if (s.revision <= last) continue;
      feed.push(s);
      last = s.revision;
    }
  };
  feed.onStop(deps.live.onExecution(executionId, (update) => {
    if (update.kind !== 'execution') return;
    feed.run(() => {
      if (update.revision <= last) return;
      feed.push(update.view);
      last = update.revision;
    });
  }));
  feed.run(fromStore);
  return feed;
}

/** Log lines of one execution after the line `afterId` (all when undefined): stored ones first, then live. */
export function executionLogFeed(deps: FeedDeps, executionId: string, afterId?: string): SerialFeed<LogView> {
  const feed = new SerialFeed<LogView>();
  let last = afterId === undefined ? -1n : BigInt(afterId);
  feed.onStop(deps.live.onExecution(executionId, (update) => {
    if (update.kind !== 'log') return;
    const { kind: _kind, ...line } = update;
    feed.run(() => {
      if (BigInt(line.id) <= last) return;
      feed.push(line);
      last = BigInt(line.id);
    });
  }));
  feed.run(async () => {
    for (;;) {
      const after = last < 0n ? undefined : encodeCursor(last.toString());
      const page = (await deps.readModel.getLogPages([executionId], { first: 1_000, after })).get(executionId)!;
      for (const line of page.nodes) {
        feed.push(line);
        last = BigInt(line.id);
      }
      if (!page.hasNextPage) return;
    }
  });
  return feed;
}
