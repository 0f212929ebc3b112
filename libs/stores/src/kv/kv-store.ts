import type pg from 'pg';
import type { JsonValue } from '@chronicle/domain';
import { CodedError } from '@chronicle/errors';
import type { KeyValueStore, KvEntry } from '@chronicle/use-cases';

/** Kestra's key rule (KVStore.KEY_VALIDATOR_PATTERN). */
const KEY_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;

export class KvError extends CodedError {
  constructor(message: string) {
    super('KV_INVALID', message);
  }
}

export type { KvEntry };

/**
 * Kestra's key-value store, per namespace, in Postgres (`kv_entries`), shared by every service:
 * the kv.* tasks write it, `kv()` reads it. A TTL becomes an expiry instant; an expired entry reads as
 * missing and is removed when met. Values are JSON (Kestra's typed values: strings, numbers, booleans,
 * dates and durations as ISO-8601 strings, maps and lists).
 */
export class KvStore implements KeyValueStore {
  constructor(private readonly pool: pg.Pool) {}

  async ensureSchema(): Promise<void> {
    await this.pool.query(`CREATE TABLE IF NOT EXISTS kv_entries (
      namespace text NOT NULL, key text NOT NULL, value jsonb NOT NULL, expires_at timestamptz,
      updated_at timestamptz NOT NULL, PRIMARY KEY (namespace, key))`);
  }

  /**
   * Sets `key`. With `overwrite: false` an existing (unexpired) key is an error, Kestra's message;
   * the check and the write are one statement, so two concurrent writers cannot both succeed.
   */
  async put(namespace: string, key: string, value: JsonValue, options: { overwrite?: boolean; ttlMs?: number; now: string }): Promise<void> {
    validateKey(key);
    const expiresAt = options.ttlMs === undefined ? null : new Date(Date.parse(options.now) + options.ttlMs).toISOString();
    const overwrite = options.overwrite ?? true;
    const r = await this.pool.query(
      `INSERT INTO kv_entries (namespace, key, value, expires_at, updated_at) VALUES ($1, $2, $3::jsonb, $4, $5)
       ON CONFLICT (namespace, key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at, updated_at = EXCLUDED.updated_at
       WHERE $6 OR (kv_entries.expires_at IS NOT NULL AND kv_entries.expires_at <= $5)`,
      [namespace, key, JSON.stringify(value), expiresAt, options.now, overwrite],
    );
    if ((r.rowCount ?? 0) === 0) throw new KvError(`Cannot set value for key '${key}'. Key already exists and \`overwrite\` is set to \`false\`.`);
  }

  /** The entry, or undefined when missing or expired at `now`. */
  async get(namespace: string, key: string, now: string): Promise<KvEntry | undefined> {
    validateKey(key);
    const r = await this.pool.query<Row>('SELECT key, value, expires_at, updated_at FROM kv_entries WHERE namespace = $1 AND key = $2', [namespace, key]);
    const row = r.rows[0];
    if (!row) return undefined;
    if (isExpired(row, now)) {
      await this.pool.query('DELETE FROM kv_entries WHERE namespace = $1 AND key = $2 AND expires_at <= $3', [namespace, key, now]);
      return undefined;
    }
    return entryOf(row);
  }

  /** Unexpired entries of a namespace, by key. */
  async list(namespace: string, now: string): Promise<KvEntry[]> {
    const r = await this.pool.query<Row>(
      'SELECT key, value, expires_at, updated_at FROM kv_entries WHERE namespace = $1 AND (expires_at IS NULL OR expires_at > $2) ORDER BY key COLLATE "C"',
      [namespace, now],
    );
    return r.rows.map(entryOf);
  }

  /** True when the key existed (and had not expired). */
  async delete(namespace: string, key: string, now: string): Promise<boolean> {
    validateKey(key);
    const r = await this.pool.query<{ live: boolean }>(
      'DELETE FROM kv_entries WHERE namespace = $1 AND key = $2 RETURNING (expires_at IS NULL OR expires_at > $3) AS live', [namespace, key, now],
    );
    return r.rows[0]?.live === true;
  }
}

export function validateKey(key: string): void {
  if (typeof key !== 'string' || key === '') throw new KvError('Key cannot be null or empty');
  if (!KEY_PATTERN.test(key)) {
    throw new KvError(`Key '${key}' is invalid: a key must start with an alphanumeric character (uppercase or lowercase) and can contain alphanumeric characters (uppercase or lowercase), dots (.), underscores (_), and hyphens (-) only.`);
  }
}

interface Row { key: string; value: JsonValue; expires_at: Date | null; updated_at: Date }

const isExpired = (row: Row, now: string) => row.expires_at !== null && row.expires_at.getTime() <= Date.parse(now);
const entryOf = (row: Row): KvEntry => ({
  key: row.key, value: row.value, updatedAt: row.updated_at.toISOString(), ...(row.expires_at ? { expiresAt: row.expires_at.toISOString() } : {}),
});
