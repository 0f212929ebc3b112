import { canReadRaw, type EventStore } from '@chronicle/event-store';
import type { DataSource } from 'typeorm';
import { EXECUTION_STREAM_PREFIX, FLOW_STREAM_PREFIX } from '../projection/stream-names.js';
import { readCheckpoint } from '../queries/checkpoint.queries.js';
import type { LogEvent } from './log-event.js';
import type { ShadowBatchFolder } from './shadow-batch.folder.js';
import { writeShadowBatch } from './shadow-batch.writer.js';
import type { ShadowBatch } from './shadow-rows.encoder.js';

/** The streams the execution projection reads (the live projector subscribes with the same filter). */
export const PROJECTED_STREAMS = { streamPrefixes: [EXECUTION_STREAM_PREFIX, FLOW_STREAM_PREFIX] };

export type BatchListener = (events: number, position: bigint) => void;

/**
 * Replays the log into the shadow tables from the shadow's own checkpoint, batch after batch,
 * each batch and the checkpoint in one transaction (so a crash loses at most the batch in
 * flight). A pipeline: while one batch is written, the next is read and folded (the rebuild is
 * the shadow's only writer, so it may fold outside the write: the executions of the batch being
 * written are taken from memory, the others from the committed rows). Its commits need not wait
 * for the disk (`synchronous_commit` off): a crash then loses the last batches with their
 * checkpoint, and the rebuild resumes before them. What is new in a batch is streamed in with COPY
 * (see `writeShadowBatch`). The folder folds in this thread or in worker threads (`fold-workers.ts`).
 */
export class ShadowCatchUp {
  constructor(
    private readonly store: EventStore,
    private readonly shadow: DataSource,
    private readonly name: string,
    private readonly folder: ShadowBatchFolder,
    private readonly batchSize: number,
  ) {}

  position(): Promise<bigint | undefined> {
    return readCheckpoint(this.shadow.manager, this.name);
  }

  /** Projects until a read finds nothing more (the head as it was then), or until aborted. */
  async run(onBatch: BatchListener, signal?: AbortSignal): Promise<void> {
    // Each pass starts from the shadow's committed rows.
    this.folder.forget();
    let next = this.read(await this.position());
    let prepared = await this.prepare(next, (after) => (next = after));
    while (prepared && !signal?.aborted) {
      const current = prepared;
      const writing = this.shadow.transaction(async (manager) => {
        await manager.query('SET LOCAL synchronous_commit = off');
        // The next batch was folded on this one's rows: they must be what the shadow now holds.
        if (!(await writeShadowBatch(manager, this.name, current))) throw new Error(`the shadow checkpoint of ${this.name} moved past ${current.position} under the rebuild: another writer?`);
      });
      // An abandoned write must not surface as an unhandled rejection: it is awaited below.
      writing.catch(() => undefined);
      let following: ShadowBatch | undefined;
      try {
        following = await this.prepare(next, (after) => (next = after));
      } finally {
        await writing;
      }
      onBatch(current.eventCount, current.position);
      prepared = following;
    }
  }

  /** Folds the batch `reading` brings and starts reading the one after it; undefined at the end. */
  private async prepare(reading: Promise<readonly LogEvent[]>, readNext: (next: Promise<readonly LogEvent[]>) => void): Promise<ShadowBatch | undefined> {
    const events = await reading;
    if (events.length === 0) return undefined;
    const next = this.read(events[events.length - 1]!.position);
    // An abandoned prefetch must not surface as an unhandled rejection.
    next.catch(() => undefined);
    readNext(next);
    return this.folder.fold(events);
  }

  private read(after: bigint | undefined): Promise<readonly LogEvent[]> {
    const options = { after, maxCount: this.batchSize, filter: PROJECTED_STREAMS };
    return this.folder.readsRaw && canReadRaw(this.store) ? this.store.readAllRaw(options) : this.store.readAll(options);
  }
}
