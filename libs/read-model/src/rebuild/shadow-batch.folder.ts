import type { DataSource } from 'typeorm';
import { prepareBatch, rowsAfter } from '../projection/batch-projection.js';
import type { EvolveFn, StoredExecution } from '../projection/execution-fold.js';
import { parsedEvent, type LogEvent } from './log-event.js';
import { encodeShadowRows, type ShadowBatch } from './shadow-rows.encoder.js';

/**
 * Turns the batches of a replay, in log order, into what `writeShadowBatch` writes. It may fold a
 * batch while the one before is still being written (the rebuild is the shadow's only writer):
 * the executions of the batch folded just before are taken from what that batch folded, the
 * others from the shadow's committed rows.
 */
export interface ShadowBatchFolder {
  /** It takes the log's events unparsed when the store can read them so (`canReadRaw`). */
  readonly readsRaw: boolean;
  fold(events: readonly LogEvent[]): Promise<ShadowBatch>;
  /** The next batch starts from the shadow's committed rows only (a new pass of the replay). */
  forget(): void;
  close(): Promise<void>;
}

/** Folds and encodes in this thread. */
export class InThreadFolder implements ShadowBatchFolder {
  readonly readsRaw = false;
  private carried: Map<string, StoredExecution> | undefined;

  constructor(private readonly shadow: DataSource, private readonly evolve: EvolveFn) {}

  async fold(events: readonly LogEvent[]): Promise<ShadowBatch> {
    const prepared = await prepareBatch(this.shadow.manager, events.map(parsedEvent), this.evolve, { liveUpdates: false, carried: this.carried, rowsEndBeforeBatch: true });
    this.carried = rowsAfter(prepared);
    return {
      position: prepared.position,
      eventCount: prepared.eventCount,
      rows: () => encodeShadowRows(prepared.events, prepared.executions, prepared.stored, prepared.poison),
      flows: prepared.flows,
      flowStatuses: prepared.flowStatuses,
      poison: [],
    };
  }

  forget(): void {
    this.carried = undefined;
  }

  async close(): Promise<void> {}
}
