import type { EventStore } from '@chronicle/event-store';
import type { DataSource } from 'typeorm';
import { domainEvolve, type EvolveFn } from '../projection/execution-fold.js';
import { EXECUTION_PROJECTION } from '../projection/execution-projector.js';
import { consoleProjectionLogger, errorDetails, type ProjectionLogger } from '../projection/projection-logger.js';
import { RebuildProgress } from './rebuild-progress.js';
import { ACTIVE_REBUILD_STATES, getRebuild, markRebuildFailed, markRebuildStarted, recordRebuildProgress } from './rebuild-state.js';
import { swapShadowIn } from './rebuild-swap.js';
import { dropSecondaryIndexes, restoreSecondaryIndexes } from './deferred-indexes.js';
import { defaultFoldWorkers, WorkerFolder, type FoldWorkerOptions } from './fold-workers.js';
import { InThreadFolder, type ShadowBatchFolder } from './shadow-batch.folder.js';
import { ShadowCatchUp } from './shadow-catch-up.js';
import { makeShadowLogged, resetShadowForReplay } from './shadow-persistence.js';
import { dropSchemas, openShadow, RETIRED_SCHEMA, SHADOW_SCHEMA } from './shadow-schema.js';

export interface RebuildRunOptions {
  readonly name?: string;
  /** Events per read and per shadow transaction (default 5000). */
  readonly batchSize?: number;
  /** A fold of its own (tests): the replay then folds in this thread. */
  readonly evolve?: EvolveFn;
  /**
   * Worker threads folding the replay (see `fold-workers.ts`); 0 folds in this thread. Default:
   * the cores beyond the first (at least one thread).
   */
  readonly foldWorkers?: number | FoldWorkerOptions;
  readonly logger?: ProjectionLogger;
  /** Stops the run between two batches; it resumes from the shadow checkpoint next time. */
  readonly signal?: AbortSignal;
  /** How often progress is written to `projection_rebuilds` (default 1000 ms). */
  readonly progressIntervalMs?: number;
  /** Stop the live projector for the swap, and start it again after it (the projection service's own). */
  readonly pauseLive: () => Promise<void>;
  readonly resumeLive: () => Promise<void>;
}

/** `idle`: nothing to do; `stopped`: aborted, resumable; `done`: swapped in. */
export type RebuildOutcome = 'idle' | 'stopped' | 'done';

/**
 * Runs the requested (PENDING) or interrupted (RUNNING, SWAPPING) rebuild of a projection: replays
 * the whole log into the shadow schema while the live tables keep serving, then swaps them in
 * (see `swapShadowIn`). A PENDING rebuild starts from an empty shadow; an interrupted one resumes
 * from the shadow's checkpoint. The caller makes sure one process runs it at a time.
 */
export async function runRebuild(live: DataSource, store: EventStore, options: RebuildRunOptions): Promise<RebuildOutcome> {
  const name = options.name ?? EXECUTION_PROJECTION;
  const logger = options.logger ?? consoleProjectionLogger;
  const row = await getRebuild(live, name);
  if (!row || !ACTIVE_REBUILD_STATES.includes(row.state)) return 'idle';
  const fresh = row.state === 'PENDING';
  const shadow = await openShadow(live, { fresh });
  let outcome: RebuildOutcome = 'stopped';
  let folder: ShadowBatchFolder | undefined;
  try {
    await dropSecondaryIndexes(shadow.dataSource);
    folder = makeFolder(shadow.dataSource, options);
    const catchUp = new ShadowCatchUp(store, shadow.dataSource, name, folder, options.batchSize ?? 5_000);
    const from = await catchUp.position();
    // No checkpoint: a fresh shadow (or one an older version loaded unlogged and a Postgres crash emptied): replayed from the start.
    if (from === undefined) await resetShadowForReplay(shadow.dataSource);
    const progress = new RebuildProgress(from, await store.headPosition(), from === undefined ? 0 : row.eventsProjected);
    await markRebuildStarted(live, name, from, await store.headPosition());
    logger.info?.({ projection: name, resumedFrom: from?.toString() ?? 'start', fresh }, 'projection rebuild running');
    let lastReport = performance.now();
    const report = async (state: 'RUNNING' | 'SWAPPING') => {
      progress.setHead(await store.headPosition());
      await recordRebuildProgress(live, name, state, progress.snapshot());
    };
    let reporting: Promise<void> = Promise.resolve();
    await catchUp.run((events, position) => {
      progress.batch(events, position);
      if (performance.now() - lastReport < (options.progressIntervalMs ?? 1_000)) return;
      lastReport = performance.now();
      // Reported beside the replay, one report at a time: progress never slows the rebuild.
      reporting = reporting.then(() => report('RUNNING')).catch((error) => logger.warn({ projection: name, ...errorDetails(error) }, 'rebuild progress not recorded'));
    }, options.signal);
    await reporting;
    if (options.signal?.aborted) return outcome;
    // One table after the other: side by side on a connection each (tried), Postgres spent about
    // 0.4 CPU-s more per 200k events, for little wall time on two cores.
    await makeShadowLogged(shadow.dataSource);
    const built = await restoreSecondaryIndexes(live, shadow.dataSource);
    logger.info?.({ projection: name, indexes: built }, 'secondary indexes built on the shadow tables');
    await report('SWAPPING');
    await options.pauseLive();
    try {
      const position = await swapShadowIn(live, shadow.dataSource, name, () => catchUp.run((events, at) => progress.batch(events, at)));
      await recordRebuildProgress(live, name, 'DONE', { ...progress.snapshot(), position, etaSeconds: 0 });
      logger.info?.({ projection: name, position: position?.toString(), ...progress.snapshot() }, 'projection rebuilt and swapped in');
      outcome = 'done';
    } finally {
      await options.resumeLive();
    }
  } catch (error) {
    if (!options.signal?.aborted) {
      logger.error({ projection: name, ...errorDetails(error) }, 'projection rebuild failed');
      await markRebuildFailed(live, name, error instanceof Error ? error.message : String(error)).catch(() => undefined);
    }
    throw error;
  } finally {
    await folder?.close();
    await shadow.dataSource.destroy();
  }
  await dropSchemas(live, [RETIRED_SCHEMA, SHADOW_SCHEMA]);
  return outcome;
}

function makeFolder(shadow: DataSource, options: RebuildRunOptions): ShadowBatchFolder {
  const workers = typeof options.foldWorkers === 'number' ? { count: options.foldWorkers } : options.foldWorkers ?? {};
  const count = workers.count ?? defaultFoldWorkers();
  // The workers fold with the domain's own fold: a fold of one's own runs here.
  if (count === 0 || options.evolve) return new InThreadFolder(shadow, options.evolve ?? domainEvolve);
  return new WorkerFolder(shadow, { ...workers, count });
}
