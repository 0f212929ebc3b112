import { EventStoreDbEventStore } from '@chronicle/event-store/eventstoredb';
import { EsdbTestServer } from '@chronicle/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExecutionProjector } from '../projection/execution-projector.js';
import { readCheckpoint } from '../queries/checkpoint.queries.js';
import { ReadModelQueries } from '../queries/read-model-queries.js';
import { everyEventTypeLog } from '../test-support/every-event-type.log.js';
import { dumpRebuiltTables } from '../test-support/read-model.dump.js';
import { startHarness, type Harness } from '../test-support/read-model.harness.js';
import { ProjectionRebuildService } from './projection-rebuild.service.js';

const quiet = { warn: () => undefined, error: () => undefined };

/*
 * The rebuild reads the log through the event store port only: with the EventStoreDB adapter (on
 * the in-process gRPC server of @chronicle/testing), positions are EventStoreDB commit positions
 * and the log is read with its server-side filter; the read model stays in Postgres.
 */
describe('projection rebuild from an EventStoreDB log', () => {
  let h: Harness;
  let server: EsdbTestServer;
  let store: EventStoreDbEventStore;
  let live: ExecutionProjector;

  beforeEach(async () => {
    h = await startHarness();
    server = await EsdbTestServer.start();
    store = new EventStoreDbEventStore({ connectionString: server.url });
    live = new ExecutionProjector(h.dataSource, store, h.bus, { topicPrefix: 'test', batchSize: 7, logger: quiet });
    await live.start();
  });
  afterEach(async () => {
    await live.stop();
    await store.close();
    await server.stop();
    await h.close();
  });

  it('replays the log into tables equal, row by row, to the live ones and swaps them in', async () => {
    for (const request of everyEventTypeLog(3)) await store.appendMany([request]);
    const head = (await store.headPosition())!;
    await live.waitForPosition(head, 30_000);
    const before = await dumpRebuiltTables(h.dataSource);
    expect(before.executions!.length).toBeGreaterThan(20);
    await h.dataSource.query(`UPDATE executions SET state = 'DAMAGED', doc = '{}' WHERE id = 'ok-00001'`);

    const queries = new ReadModelQueries(h.dataSource);
    await queries.requestProjectionRebuild('executions', 'test');
    // Small batches: executions span batches, carried from the one being written.
    const service = new ProjectionRebuildService(h.dataSource, store, live, { logger: quiet, batchSize: 16 });
    expect(await service.runPending()).toBe('done');

    expect(await dumpRebuiltTables(h.dataSource)).toEqual(before);
    expect(await readCheckpoint(h.dataSource.manager, 'executions')).toBe(head);
    const [status] = await queries.projectionRebuilds();
    expect(status).toMatchObject({ state: 'DONE', position: head.toString() });
  });
});
