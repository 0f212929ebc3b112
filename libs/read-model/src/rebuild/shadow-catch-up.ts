import type { EventStore, RecordedEvent } from '@chronicle/event-store';
import type { DataSource } from 'typeorm';
import { projectBatch } from '../projection/batch-projection.js';
import type { EvolveFn } from '../projection/execution-fold.js';
import { EXECUTION_STREAM_PREFIX, FLOW_STREAM_PREFIX } from '../projection/stream-names.js';
import { readCheckpoint } from '../queries/checkpoint.queries.js';

/** The streams the execution projection reads (the live projector subscribes with the same filter). */
export const PROJECTED_STREAMS = { streamPrefixes: [EXECUTION_STREAM_PREFIX, FLOW_STREAM_PREFIX] };

export type BatchListener = (events: number, position: bigint) => void;

/**
 * Replays the log into the shadow tables from the shadow's own checkpoint, batch after batch,
 * each batch and the checkpoint in one transaction (so a crash loses at most the batch in
 * flight). The next batch is read while the current one is written.
 */
export class ShadowCatchUp {
  constructor(
    private readonly store: EventStore,
    private readonly shadow: DataSource,
    private readonly name: string,
    private readonly evolve: EvolveFn,
    private readonly batchSize: number,
  ) {}

  position(): Promise<bigint | undefined> {
    return readCheckpoint(this.shadow.manager, this.name);
  }

  /** Projects until a read finds nothing more (the head as it was then), or until aborted. */
  async run(onBatch: BatchListener, signal?: AbortSignal): Promise<void> {
    let next = this.read(await this.position());
    for (;;) {
      const events = await next;
      if (events.length === 0) return;
      if (signal?.aborted) return;
      const last = events[events.length - 1]!.position;
      next = this.read(last);
      // An abandoned prefetch must not surface as an unhandled rejection.
      next.catch(() => undefined);
      await this.shadow.transaction((manager) => projectBatch(manager, this.name, events, this.evolve));
      onBatch(events.length, last);
    }
  }

  private read(after: bigint | undefined): Promise<RecordedEvent[]> {
    return this.store.readAll({ after, maxCount: this.batchSize, filter: PROJECTED_STREAMS });
  }
}
