import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InternalStorage } from '@chronicle/use-cases';
import { EnvSecrets, KvStore, LocalFolderStorage, PostgresChunkedStorage } from '@chronicle/stores';
import { createTestDatabase } from '@chronicle/testing';
import type { JsonObject, TaskJob } from '@chronicle/domain';
import pg from 'pg';
import type { TaskServices } from '../task-services.js';
import { taskContext } from './task-test-context.js';

/** Real stores for the storage and KV task tests: a temporary folder, a test database, a settable clock. */
export async function ioTestServices(name: string, options: { storage?: 'folder' | 'postgres'; env?: Record<string, string> } = {}) {
  const db = await createTestDatabase(name);
  const pool = new pg.Pool({ connectionString: db.url, max: 4 });
  // Dropping the test database at the end terminates connections the pool is still closing.
  pool.on('error', () => undefined);
  const kv = new KvStore(pool);
  await kv.ensureSchema();
  const folder = await mkdtemp(join(tmpdir(), 'chronicle-io-'));
  let storage: InternalStorage = new LocalFolderStorage(folder);
  if (options.storage === 'postgres') {
    const postgres = new PostgresChunkedStorage(pool);
    await postgres.ensureSchema();
    storage = postgres;
  }
  const clock = { now: '2026-01-01T00:00:00.000Z' };
  const services: TaskServices = { storage, kv, secrets: new EnvSecrets(options.env ?? {}), now: () => clock.now };
  return {
    services,
    clock,
    /** A context for `type` in execution `e1` of flow `company.team/etl`, task run `e1.<n>`. */
    context(type: string, properties: JsonObject, extra: Partial<TaskJob> = {}) {
      const made = taskContext(type, properties, { flow: { namespace: 'company.team', flowId: 'etl' }, ...extra });
      return { ...made, context: { ...made.context, services } };
    },
    async close() {
      await pool.end();
      await db.drop();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
