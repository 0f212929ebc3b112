import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, freePort, startPostgres, stopProcess, type PostgresServer } from '@chronicle/dev-infra';
import { PostgresEventStore } from '@chronicle/event-store/postgres';
import { InProcessMessageBus, topicNames } from '@chronicle/messaging';
import type { DataSource } from 'typeorm';
import { afterEach, describe, expect, it } from 'vitest';
import { ExecutionProjector } from '../projection/execution-projector.js';
import { readCheckpoint } from '../queries/checkpoint.queries.js';
import { ReadModelQueries } from '../queries/read-model-queries.js';
import { createReadModelDataSource, runReadModelMigrations } from '../setup/read-model-data-source.js';
import { everyEventTypeLog } from '../test-support/every-event-type.log.js';
import { dumpRebuiltTables } from '../test-support/read-model.dump.js';
import { eventually } from '../test-support/read-model.harness.js';
import { rebuildProcess } from '../test-support/rebuild-process.js';
import { getRebuild } from './rebuild-state.js';
import { REBUILT_TABLES, SHADOW_SCHEMA } from './shadow-schema.js';

const quiet = { warn: () => undefined, error: () => undefined };

/** The read model, the event store and a live projector on one database. */
async function open(url: string) {
  const dataSource = await createReadModelDataSource(url, { poolSize: 4 });
  await runReadModelMigrations(dataSource);
  const store = new PostgresEventStore({ connectionString: url, poolSize: 3 });
  await store.ensureSchema();
  const bus = new InProcessMessageBus();
  await bus.ensureTopics([topicNames('crash').updates]);
  const live = new ExecutionProjector(dataSource, store, bus, { topicPrefix: 'crash', logger: quiet });
  await live.start();
  return {
    dataSource, store, live,
    close: async () => {
      await live.stop();
      await bus.close();
      await store.close();
      await dataSource.destroy();
    },
  };
}

/** relpersistence of the rebuilt tables in a schema: `u` unlogged, `p` logged. */
async function persistence(dataSource: DataSource, schema: string): Promise<string[]> {
  const rows: { p: string }[] = await dataSource.query(
    `SELECT DISTINCT c.relpersistence AS p FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = ANY($2::text[]) AND c.relkind = 'r'`,
    [schema, [...REBUILT_TABLES]],
  );
  return rows.map((r) => r.p);
}

/*
 * The shadow loads into LOGGED tables, each batch's rows and its checkpoint in one transaction.
 * Here Postgres itself crashes (an immediate shutdown: no shutdown checkpoint, so the next start
 * runs crash recovery) under a half-done rebuild: recovery must give back the checkpoint with the
 * rows it describes, and the rebuild resumes from it to tables equal to the live ones.
 */
describe('projection rebuild after a Postgres crash', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronicle-rebuild-pg-crash-'));
  const children: ChildProcess[] = [];
  let server: PostgresServer | undefined;

  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds its logged shadow and checkpoint kept by crash recovery, resumes from the checkpoint and swaps in logged tables equal to the live ones', async () => {
    const dataDir = join(dir, 'pg');
    const port = await freePort();
    server = await startPostgres({ dataDir, port, fast: true });
    await createDatabase(server.adminUrl, 'rebuild_crash');
    const url = server.urlFor('rebuild_crash');

    let db = await open(url);
    for (const request of everyEventTypeLog(25)) await db.store.appendMany([request]);
    const head = (await db.store.headPosition())!;
    await db.live.waitForPosition(head, 30_000);
    const before = await dumpRebuiltTables(db.dataSource);
    await new ReadModelQueries(db.dataSource).requestProjectionRebuild('executions', 'test');

    // Slow reads, small batches: the rebuild is still replaying when Postgres goes down.
    const first = rebuildProcess(url, 40, 40);
    children.push(first.child);
    await eventually(async () => {
      const row = await getRebuild(db.dataSource, 'executions');
      return row?.state === 'RUNNING' && row.position !== undefined && BigInt(row.position) > head / 4n;
    }, 60_000);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(await persistence(db.dataSource, SHADOW_SCHEMA)).toEqual(['p']);
    const shadowCheckpoint = `SELECT position::text AS position FROM ${SHADOW_SCHEMA}.projection_checkpoints WHERE name = 'executions'`;
    const shadowExecutions = `SELECT count(*)::int AS n FROM ${SHADOW_SCHEMA}.executions`;
    const checkpointBefore: { position: string }[] = await db.dataSource.query(shadowCheckpoint);
    expect(checkpointBefore).toHaveLength(1);
    const rowsBefore = await db.dataSource.query(shadowExecutions);
    // The test's server commits asynchronously (fast settings): one synchronous commit that writes WAL
    // (a temporary table's catalogue rows) flushes all the killed rebuild committed before it, so the
    // crash loses nothing a server with the defaults would keep.
    await db.dataSource.transaction(async (manager) => {
      await manager.query('SET LOCAL synchronous_commit = on');
      await manager.query('CREATE TEMPORARY TABLE wal_flush (x int) ON COMMIT DROP');
    });
    await db.close();
    await stopProcess(server.pid, 'SIGQUIT');
    server = await startPostgres({ dataDir, port, fast: true });

    db = await open(url);
    try {
      // Crash recovery kept the shadow's checkpoint and the rows it describes; the rebuild is still RUNNING.
      expect(await db.dataSource.query(shadowCheckpoint)).toEqual(checkpointBefore);
      expect(await db.dataSource.query(shadowExecutions)).toEqual(rowsBefore);
      expect(rowsBefore[0].n).toBeGreaterThan(0);
      expect(await getRebuild(db.dataSource, 'executions')).toMatchObject({ state: 'RUNNING', runs: 1 });

      const second = rebuildProcess(url, 500, 0);
      children.push(second.child);
      expect(await second.exited, second.output.join('')).toBe(0);

      const done = (await getRebuild(db.dataSource, 'executions'))!;
      expect(done).toMatchObject({ state: 'DONE', runs: 2, position: head.toString() });
      // Resumed from the checkpoint that survived the crash, not replayed from the start.
      expect(done.resumedFrom).toBe(checkpointBefore[0]!.position);
      expect(await dumpRebuiltTables(db.dataSource)).toEqual(before);
      expect(await readCheckpoint(db.dataSource.manager, 'executions')).toBe(head);
      // What was swapped in survives the next crash: logged again.
      expect(await persistence(db.dataSource, 'public')).toEqual(['p']);
    } finally {
      await db.close();
    }
  });
});
