import type pg from 'pg';
import { DEFAULT_CONTENT_TYPE, StorageFileNotFoundError, type InternalStorage, type StoredObjectInfo } from '@chronicle/use-cases';
import { storagePathOf } from '@chronicle/use-cases';
import { inTransaction } from '../transaction.js';

/** 1 MiB rows: large files never become one huge bytea value (TOAST and memory stay bounded per row). */
export const STORAGE_CHUNK_BYTES = 1024 * 1024;

/**
 * The distributed adapter: files in Postgres, so every service of every host reads the same ones.
 * `storage_objects` holds one row per file; `storage_chunks` its content in numbered chunks.
 * A put replaces the object and its chunks in one transaction.
 */
export class PostgresChunkedStorage implements InternalStorage {
  constructor(private readonly pool: pg.Pool, private readonly chunkBytes = STORAGE_CHUNK_BYTES) {}

  async ensureSchema(): Promise<void> {
    await this.pool.query(`CREATE TABLE IF NOT EXISTS storage_objects (
      uri text PRIMARY KEY, size bigint NOT NULL, content_type text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
    await this.pool.query(`CREATE TABLE IF NOT EXISTS storage_chunks (
      uri text NOT NULL REFERENCES storage_objects (uri) ON DELETE CASCADE, seq integer NOT NULL, data bytea NOT NULL,
      PRIMARY KEY (uri, seq))`);
  }

  async put(uri: string, data: Buffer, contentType = DEFAULT_CONTENT_TYPE): Promise<string> {
    storagePathOf(uri);
    return inTransaction(this.pool, async (client) => {
      await client.query('DELETE FROM storage_objects WHERE uri = $1', [uri]);
      await client.query('INSERT INTO storage_objects (uri, size, content_type) VALUES ($1, $2, $3)', [uri, data.length, contentType]);
      for (let seq = 0, offset = 0; offset < data.length || seq === 0; seq++, offset += this.chunkBytes) {
        await client.query('INSERT INTO storage_chunks (uri, seq, data) VALUES ($1, $2, $3)', [uri, seq, data.subarray(offset, offset + this.chunkBytes)]);
      }
      return uri;
    });
  }

  async get(uri: string): Promise<Buffer> {
    storagePathOf(uri);
    // One snapshot for the object and its chunks: a concurrent replace cannot mix two versions.
    return inTransaction(this.pool, async (client) => {
      const object = await client.query<{ size: string }>('SELECT size FROM storage_objects WHERE uri = $1', [uri]);
      if (object.rowCount === 0) throw new StorageFileNotFoundError(uri);
      const chunks = await client.query<{ data: Buffer }>('SELECT data FROM storage_chunks WHERE uri = $1 ORDER BY seq', [uri]);
      return Buffer.concat(chunks.rows.map((r) => r.data));
    }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }

  async stat(uri: string): Promise<StoredObjectInfo | undefined> {
    storagePathOf(uri);
    const r = await this.pool.query<{ uri: string; size: string; content_type: string }>('SELECT uri, size, content_type FROM storage_objects WHERE uri = $1', [uri]);
    return r.rows[0] ? infoOf(r.rows[0]) : undefined;
  }

  async delete(uri: string): Promise<boolean> {
    storagePathOf(uri);
    const r = await this.pool.query('DELETE FROM storage_objects WHERE uri = $1', [uri]);
    return (r.rowCount ?? 0) > 0;
  }

  async deleteByPrefix(prefix: string): Promise<string[]> {
    const folder = prefix.endsWith('/') ? prefix : `${prefix}/`;
    storagePathOf(folder);
    const r = await this.pool.query<{ uri: string }>('DELETE FROM storage_objects WHERE starts_with(uri, $1) RETURNING uri', [folder]);
    return r.rows.map((row) => row.uri).sort();
  }

  async list(prefix: string): Promise<StoredObjectInfo[]> {
    const folder = prefix.endsWith('/') ? prefix : `${prefix}/`;
    storagePathOf(folder);
    const r = await this.pool.query<{ uri: string; size: string; content_type: string }>(
      'SELECT uri, size, content_type FROM storage_objects WHERE starts_with(uri, $1) ORDER BY uri COLLATE "C"', [folder],
    );
    return r.rows.map(infoOf);
  }
}

const infoOf = (row: { uri: string; size: string; content_type: string }): StoredObjectInfo => ({ uri: row.uri, size: Number(row.size), contentType: row.content_type });
