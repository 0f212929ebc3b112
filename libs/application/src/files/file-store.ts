import pg from 'pg';
import { newId } from '@chronicle/runtime';
import { ApplicationError } from '../errors.js';

/** What a FILE input holds: a reference the flow passes around, served back by the gateway. */
export const fileReference = (id: string) => `chronicle:///files/${id}`;
export const fileIdOf = (reference: string): string | undefined => /^chronicle:\/\/\/files\/([0-9a-f-]{36})$/i.exec(reference)?.[1];

export interface StoredFile {
  readonly id: string;
  readonly name: string;
  readonly contentType: string;
  readonly size: number;
  readonly data: Buffer;
  /** The namespace of the execution the file was given to: who may read it. Unknown (null) for files stored before namespaces were kept. */
  readonly namespace: string | null;
}

export class FileTooLargeError extends ApplicationError {
  constructor(name: string, size: number, limit: number) {
    super('FILE.INVALID', `file ${name} is ${size} bytes; the limit is ${limit} bytes`);
  }
}

/**
 * Files uploaded as FILE inputs, kept in Postgres up to a size limit (large artefacts belong
 * in object storage, not here). Content-addressed by a random id; never listed, only fetched.
 */
export class FileStore {
  constructor(private readonly pool: pg.Pool, readonly maxBytes: number) {}

  async ensureSchema(): Promise<void> {
    await this.pool.query(`CREATE TABLE IF NOT EXISTS input_files (
      id uuid PRIMARY KEY, name text NOT NULL, content_type text NOT NULL, size integer NOT NULL,
      data bytea NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
    // Files are served only to readers of their namespace (older rows: null, unrestricted readers only).
    await this.pool.query('ALTER TABLE input_files ADD COLUMN IF NOT EXISTS namespace text');
  }

  /** `namespace`: whose readers may fetch it; without one, only tokens valid in every namespace may. */
  async put(name: string, contentType: string, data: Buffer, namespace?: string): Promise<string> {
    if (data.length > this.maxBytes) throw new FileTooLargeError(name, data.length, this.maxBytes);
    const id = newId();
    await this.pool.query('INSERT INTO input_files (id, name, content_type, size, data, namespace) VALUES ($1, $2, $3, $4, $5, $6)', [id, name, contentType, data.length, data, namespace ?? null]);
    return id;
  }

  async get(id: string): Promise<StoredFile | undefined> {
    const r = await this.pool.query<{ id: string; name: string; content_type: string; size: number; data: Buffer; namespace: string | null }>('SELECT * FROM input_files WHERE id = $1', [id]);
    const row = r.rows[0];
    return row ? { id: row.id, name: row.name, contentType: row.content_type, size: row.size, data: row.data, namespace: row.namespace ?? null } : undefined;
  }
}
