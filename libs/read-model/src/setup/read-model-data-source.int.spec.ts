import { createTestDatabase, type TestDatabase } from '@chronicle/testing';
import type { DataSource } from 'typeorm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { READ_MODEL_MIGRATIONS } from '../migrations/index.js';
import { createReadModelDataSource, runReadModelMigrations } from './read-model-data-source.js';

describe('read-model data source', () => {
  let db: TestDatabase;
  const sources: DataSource[] = [];

  beforeEach(async () => {
    db = await createTestDatabase('read_model_ds');
  });
  afterEach(async () => {
    for (const s of sources.splice(0)) await s.destroy();
    await db.drop();
  });

  it('creates the schema by migration, once, even from two processes at a time', async () => {
    const a = await createReadModelDataSource(db.url);
    const b = await createReadModelDataSource(db.url);
    sources.push(a, b);
    const applied = await Promise.all([runReadModelMigrations(a), runReadModelMigrations(b)]);
    expect(applied.flat()).toEqual(READ_MODEL_MIGRATIONS.map((m) => new m().name));
    expect(applied.flat()[0]).toBe('InitialReadModel1763700000000');
    expect(await runReadModelMigrations(a)).toEqual([]);
    const tables = await a.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`);
    expect(tables.map((t: { table_name: string }) => t.table_name)).toEqual([
      'audit_log', 'execution_stats', 'execution_stats_hourly', 'executions', 'flow_revisions', 'flows', 'logs', 'projection_checkpoints', 'projection_errors', 'projection_rebuilds',
      'purged_executions', 'read_model_migrations', 'task_runs',
    ]);
  });

  it('migrates while initialising when asked, and the checkpoint column holds a uint64', async () => {
    const ds = await createReadModelDataSource(db.url, { migrate: true });
    sources.push(ds);
    const max = 18_446_744_073_709_551_615n;
    await ds.query(`INSERT INTO projection_checkpoints (name, position, updated_at) VALUES ('p', $1, now())`, [max.toString()]);
    const [row] = await ds.query(`SELECT position::text AS position FROM projection_checkpoints`);
    expect(BigInt(row.position)).toBe(max);
  });
});
