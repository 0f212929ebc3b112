import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canReadRaw } from '@chronicle/event-store';
import { ExecutionProjector } from '../projection/execution-projector.js';
import { ReadModelQueries } from '../queries/read-model-queries.js';
import { everyEventTypeLog } from '../test-support/every-event-type.log.js';
import { dumpRebuiltTables } from '../test-support/read-model.dump.js';
import { startHarness, type Harness } from '../test-support/read-model.harness.js';
import { runRebuild, type RebuildRunOptions } from './projection-rebuild.js';
import { getRebuild } from './rebuild-state.js';

const quiet = { warn: () => undefined, error: () => undefined };

describe('projection rebuild folded in worker threads', () => {
  let h: Harness;
  let live: ExecutionProjector;
  let queries: ReadModelQueries;

  const rebuild = async (options: Partial<RebuildRunOptions>) => {
    await queries.requestProjectionRebuild('executions', 'test');
    return runRebuild(h.dataSource, h.store, {
      logger: quiet, batchSize: 64, ...options, pauseLive: () => live.stop(), resumeLive: () => live.start(),
    });
  };

  beforeEach(async () => {
    h = await startHarness();
    queries = new ReadModelQueries(h.dataSource);
    live = new ExecutionProjector(h.dataSource, h.store, h.bus, { topicPrefix: 'test', batchSize: 7, logger: quiet });
    await live.start();
    for (const request of everyEventTypeLog(3)) await h.store.appendMany([request]);
    await live.waitForPosition((await h.store.headPosition())!, 30_000);
  });
  afterEach(async () => {
    await live.stop();
    await h.close();
  });

  it('ends with tables equal, row by row, to the live ones, whatever the threads and batch size', async () => {
    // The harness's store hands the workers the events unparsed (the EventStoreDB spec covers parsed ones).
    expect(canReadRaw(h.store)).toBe(true);
    const before = await dumpRebuiltTables(h.dataSource);
    // 5 events a batch: executions span batches (a worker carries them from the batch being written);
    // 100 000: the whole log in one batch, split among the threads.
    for (const [count, batchSize] of [[2, 5], [3, 100_000], [1, 64]] as const) {
      await h.dataSource.query(`UPDATE executions SET state = 'DAMAGED' WHERE id = 'ok-00001'`);
      expect(await rebuild({ foldWorkers: count, batchSize })).toBe('done');
      expect(await dumpRebuiltTables(h.dataSource), `${count} threads, batches of ${batchSize}`).toEqual(before);
    }
  });

  it('fails cleanly when a worker thread dies mid-way: the live tables untouched, and a new request rebuilds from the start', async () => {
    await h.dataSource.query(`UPDATE executions SET state = 'DAMAGED' WHERE id = 'ok-00002'`);
    const damaged = await dumpRebuiltTables(h.dataSource);
    // Each worker ends abruptly on its third batch: two batches are in the shadow by then.
    await expect(rebuild({ foldWorkers: { count: 2, workerData: { exitOnBatch: 3 } }, batchSize: 5 })).rejects.toThrow(/fold worker exited \(code 70\)/);
    const failed = await getRebuild(h.dataSource, 'executions');
    expect(failed).toMatchObject({ state: 'FAILED' });
    expect(failed?.error).toMatch(/fold worker exited/);
    // It stopped mid-way: the shadow (left for the next run) holds the batches written before.
    const [shadow] = (await h.dataSource.query(`SELECT position::text AS position FROM read_model_shadow.projection_checkpoints WHERE name = 'executions'`)) as { position: string }[];
    expect(BigInt(shadow!.position)).toBeGreaterThan(0n);
    expect(BigInt(shadow!.position)).toBeLessThan((await h.store.headPosition())!);
    // Nothing was swapped: the live tables are as they were, the damaged row included.
    expect(await dumpRebuiltTables(h.dataSource)).toEqual(damaged);
    expect((await h.dataSource.query(`SELECT state FROM executions WHERE id = 'ok-00002'`))[0].state).toBe('DAMAGED');

    await h.dataSource.query(`UPDATE executions SET state = 'SUCCESS' WHERE id = 'ok-00002'`);
    const repaired = await dumpRebuiltTables(h.dataSource);
    await h.dataSource.query(`UPDATE executions SET state = 'DAMAGED' WHERE id = 'ok-00002'`);
    expect(await rebuild({ foldWorkers: 2, batchSize: 5 })).toBe('done');
    expect(await dumpRebuiltTables(h.dataSource)).toEqual(repaired);
  });
});
