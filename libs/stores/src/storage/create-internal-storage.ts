import { join, resolve } from 'node:path';
import type pg from 'pg';
import type { InternalStorage } from '@chronicle/use-cases';
import { LocalFolderStorage } from './local-folder-storage.js';
import { PostgresChunkedStorage } from './postgres-chunked-storage.js';

/**
 * One process, one internal storage. Standalone: the folder `CHRONICLE_DATA_DIR/storage` (one process
 * reads and writes it). Distributed: Postgres, so that a file a worker writes on one host is read by
 * the gateway, the executor and other workers on others.
 */
export async function createInternalStorage(mode: 'standalone' | 'distributed', dataDir: string, pool: pg.Pool): Promise<InternalStorage> {
  if (mode === 'standalone') return new LocalFolderStorage(join(resolve(dataDir), 'storage'));
  const storage = new PostgresChunkedStorage(pool);
  await storage.ensureSchema();
  return storage;
}
