import { spawnSync } from 'node:child_process';
import { createTestDatabase, type TestDatabase } from '@chronicle/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './deploy-files.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('migrate_job');
});
afterAll(async () => {
  await db?.drop();
});

/**
 * The compose `migrate` service and the Kubernetes Job run this very file. Compiled (npm test
 * builds first), as the other process tests do: TypeORM's entities need decorator metadata,
 * which tsx does not emit.
 */
function migrate(env: Record<string, string>) {
  const run = spawnSync(process.execPath, ['apps/projection/dist/migrate.js'], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', CHRONICLE_LOG_LEVEL: 'info', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

async function tables(): Promise<string[]> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`);
    return rows.map((r) => r.table_name);
  } finally {
    await client.end();
  }
}

describe('migrate job (real Postgres)', () => {
  it('creates the read models, checkpoints and event store tables, and runs again harmlessly', async () => {
    const first = migrate({ DATABASE_URL: db.url });
    expect(first.status, first.output).toBe(0);
    expect(first.output).toContain('migrations applied');
    expect(await tables()).toEqual(expect.arrayContaining(['executions', 'task_runs', 'flows', 'projection_checkpoints', 'chronicle_checkpoints', 'events', 'streams']));
    const second = migrate({ DATABASE_URL: db.url });
    expect(second.status, second.output).toBe(0);
  });

  it('exits 2 naming DATABASE_URL when it is missing', () => {
    const run = migrate({});
    expect(run.status).toBe(2);
    expect(run.output).toContain('DATABASE_URL: required by the migrate job');
  });
});
