import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PgNotificationListener } from '@chronicle/event-store/postgres';
import { ExecutionProjector } from '../projection/execution-projector.js';
import { ReadModelQueries } from '../queries/read-model-queries.js';
import { everyEventTypeLog } from '../test-support/every-event-type.log.js';
import { eventually, startHarness, type Harness } from '../test-support/read-model.harness.js';
import { ProjectionRebuildService, type NoticeListener } from './projection-rebuild.service.js';
import { getRebuild, REBUILD_REQUESTS_CHANNEL } from './rebuild-state.js';

const quiet = { warn: () => undefined, error: () => undefined };
const LOCK = 'chronicle-projection-rebuild:executions';

/** What the composition passes: the event store's LISTEN connection, on the read model's database. */
const noticesOn = (url: string): NoticeListener => (channel, onNotice) => {
  const listener = new PgNotificationListener({ clientConfig: { connectionString: url }, channel }, () => onNotice());
  return { ready: () => listener.ready(), close: () => listener.close() };
};

describe('the started rebuild service hears of requests and of a freed lock from Postgres, without polling', () => {
  let h: Harness;
  let live: ExecutionProjector;
  let queries: ReadModelQueries;
  let service: ProjectionRebuildService;
  let holder: pg.Client | undefined;

  /** Statements the service's pool sent to `projection_rebuilds` so far (the read model's query counter). */
  const rebuildReads = () => h.counter.queries.filter((q) => /FROM projection_rebuilds WHERE name/.test(q)).length;

  beforeEach(async () => {
    h = await startHarness();
    queries = new ReadModelQueries(h.dataSource);
    live = new ExecutionProjector(h.dataSource, h.store, h.bus, { topicPrefix: 'test', logger: quiet });
    await live.start();
    for (const request of everyEventTypeLog(2)) await h.store.appendMany([request]);
    service = new ProjectionRebuildService(h.dataSource, h.store, live, { logger: quiet, batchSize: 16, listen: noticesOn(h.db.url) });
  });
  afterEach(async () => {
    await service.stop();
    await holder?.end().catch(() => undefined);
    holder = undefined;
    await live.stop();
    await h.close();
  });

  it('looks once when it starts listening, then not again until a request is announced, which it runs', async () => {
    await service.start();
    await eventually(() => rebuildReads() >= 1);
    const afterStart = rebuildReads();
    // A second and a half of quiet: the service it replaces looked every second.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(rebuildReads()).toBe(afterStart);

    await queries.requestProjectionRebuild('executions', 'test');
    await eventually(async () => (await getRebuild(h.dataSource, 'executions'))?.state === 'DONE', 30_000);
  });

  it('announces every request on its channel when the row commits', async () => {
    const listener = new pg.Client({ connectionString: h.db.url });
    await listener.connect();
    try {
      const notices: (string | undefined)[] = [];
      listener.on('notification', (n) => notices.push(`${n.channel}:${n.payload}`));
      await listener.query(`LISTEN ${REBUILD_REQUESTS_CHANNEL}`);
      await queries.requestProjectionRebuild('executions', 'test');
      await eventually(() => notices.length === 1);
      expect(notices).toEqual([`${REBUILD_REQUESTS_CHANNEL}:executions`]);
    } finally {
      await listener.end();
    }
  });

  it('waits inside Postgres while another replica holds the rebuild, and resumes it when that replica dies', async () => {
    holder = new pg.Client({ connectionString: h.db.url });
    await holder.connect();
    await holder.query('SELECT pg_advisory_lock(hashtext($1))', [LOCK]);
    await queries.requestProjectionRebuild('executions', 'test');

    await service.start();
    // The service's own session is blocked on the advisory lock (no timer, no repeated look).
    await eventually(async () => {
      const rows = (await h.dataSource.query(
        `SELECT wait_event_type FROM pg_stat_activity WHERE application_name = 'chronicle-rebuild-waiter' AND datname = current_database()`,
      )) as { wait_event_type: string | null }[];
      return rows.length === 1 && rows[0]!.wait_event_type === 'Lock';
    });
    const whileWaiting = rebuildReads();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(rebuildReads()).toBe(whileWaiting);
    expect((await getRebuild(h.dataSource, 'executions'))?.state).toBe('PENDING');

    // The holder's process dies: its session ends, the lock passes, the waiter looks again and runs it.
    await holder.end();
    holder = undefined;
    await eventually(async () => (await getRebuild(h.dataSource, 'executions'))?.state === 'DONE', 30_000);
  });

  it('stops at once while waiting for another replica (the wait is ended, not left blocked)', async () => {
    holder = new pg.Client({ connectionString: h.db.url });
    await holder.connect();
    await holder.query('SELECT pg_advisory_lock(hashtext($1))', [LOCK]);
    await queries.requestProjectionRebuild('executions', 'test');
    await service.start();
    await eventually(async () => ((await h.dataSource.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = 'chronicle-rebuild-waiter'`)) as unknown[]).length === 1);
    await service.stop();
    await eventually(async () => ((await h.dataSource.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = 'chronicle-rebuild-waiter'`)) as unknown[]).length === 0);
  });

  it('refuses to start without a way to hear of requests', async () => {
    const deaf = new ProjectionRebuildService(h.dataSource, h.store, live, { logger: quiet });
    await expect(deaf.start()).rejects.toThrow(/needs options.listen/);
  });
});
