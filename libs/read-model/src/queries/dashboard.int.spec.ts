import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExecutionProjector } from '../projection/execution-projector.js';
import { purgeExecutions } from '../retention/execution-purge.js';
import { binMiddleMs, durationBin } from '../projection/execution-stats.writer.js';
import { benchmark01Events, executionStream } from '../test-support/benchmark01.events.js';
import { recordingLogger, startHarness, type Harness } from '../test-support/read-model.harness.js';
import { ReadModelQueries } from './read-model-queries.js';

const RANGE = { from: new Date('2025-01-01T11:00:00Z'), to: new Date('2025-01-01T13:00:00Z') };

describe('dashboard aggregates', () => {
  let h: Harness;
  let queries: ReadModelQueries;
  let projector: ExecutionProjector;

  beforeEach(async () => {
    h = await startHarness();
    queries = new ReadModelQueries(h.dataSource);
    projector = new ExecutionProjector(h.dataSource, h.store, h.bus, { topicPrefix: 'test', logger: recordingLogger(), batchSize: 3 });
    await projector.start();
  });
  afterEach(async () => {
    await projector.stop();
    await h.close();
  });

  it('counts executions per bucket by their state now, with duration percentiles, flows and running counts', async () => {
    await h.append(executionStream('e1'), benchmark01Events('e1'));
    await h.append(executionStream('e2'), benchmark01Events('e2'));
    const running = benchmark01Events('e3', { base: 120 });
    let position = await h.append(executionStream('e3'), running.slice(0, 4));
    await projector.waitForPosition(position, 10_000);

    const before = await queries.dashboard(RANGE);
    expect(before).toMatchObject({ total: 3, states: { SUCCESS: 2, RUNNING: 1 }, running: 1, queued: 0, successRatio: 1, bucketSeconds: 300 });
    expect(before.buckets).toHaveLength(24);
    expect(before.buckets[12]).toMatchObject({ start: '2025-01-01T12:00:00.000Z', total: 3, states: { SUCCESS: 2, RUNNING: 1 } });
    // Both finished runs took 7 s: every percentile reads the middle of that bin.
    expect(before.p50Ms).toBe(Math.round(binMiddleMs(durationBin(7000))));
    expect(before.p99Ms).toBe(before.p50Ms);
    expect(before.busiestFlows).toEqual([{ namespace: 'benchmarks', flowId: 'benchmark01', executions: 3, failed: 0 }]);
    expect(before.failingFlows).toEqual([]);

    // The running execution ends: it moves from RUNNING to SUCCESS, counted once (batches of 3 events).
    position = await h.append(executionStream('e3'), running.slice(4));
    await projector.waitForPosition(position, 10_000);
    const after = await queries.dashboard(RANGE);
    expect(after).toMatchObject({ total: 3, states: { SUCCESS: 3 }, running: 0 });
    const rows: Array<{ executions: number }> = await h.dataSource.query('SELECT executions FROM execution_stats');
    expect(rows.every((r) => r.executions > 0)).toBe(true);
    expect(rows.reduce((s, r) => s + r.executions, 0)).toBe(3);
    // The hourly aggregates agree: a range of whole hours reads them.
    const hourly: Array<{ executions: number; bucket: Date }> = await h.dataSource.query('SELECT executions, bucket FROM execution_stats_hourly');
    expect(hourly.map((r) => [r.bucket.toISOString(), r.executions])).toEqual([['2025-01-01T12:00:00.000Z', 3]]);
    expect(await queries.dashboard({ ...RANGE, bucketSeconds: 3600 })).toMatchObject({ total: 3, states: { SUCCESS: 3 }, p50Ms: after.p50Ms });
  });

  it('filters by flow and refuses an empty range', async () => {
    const position = await h.append(executionStream('e1'), benchmark01Events('e1'));
    await projector.waitForPosition(position, 10_000);
    expect((await queries.dashboard({ ...RANGE, namespace: 'benchmarks', flowId: 'benchmark01' })).total).toBe(1);
    expect((await queries.dashboard({ ...RANGE, flowId: 'other' })).total).toBe(0);
    expect((await queries.dashboard({ ...RANGE, bucketSeconds: 3600 })).buckets).toHaveLength(2);
    await expect(queries.dashboard({ from: RANGE.to, to: RANGE.from })).rejects.toThrow('`to` after `from`');
  });

  it('leaves purged executions out, as a rebuild would', async () => {
    await h.append(executionStream('kept'), benchmark01Events('kept'));
    const position = await h.append(executionStream('gone'), benchmark01Events('gone', { base: 120 }));
    await projector.waitForPosition(position, 10_000);
    expect((await queries.dashboard(RANGE)).total).toBe(2);
    await purgeExecutions(h.dataSource, h.store, { olderThanDays: 0, dryRun: false, now: new Date('2025-01-02T00:00:00Z'), limit: 1 });
    expect((await queries.dashboard(RANGE)).total).toBe(1);
    expect((await queries.dashboard({ ...RANGE, bucketSeconds: 3600 })).total).toBe(1);
  });
});
