import type { JsonValue } from '@chronicle/domain';

/**
 * Port: Kestra's key-value store, per namespace (the kv.* tasks write it, `kv()` reads it).
 * @chronicle/stores keeps it in Postgres (`KvStore`, table kv_entries).
 */
export interface KvEntry {
  readonly key: string;
  readonly value: JsonValue;
  readonly updatedAt: string;
  readonly expiresAt?: string;
}

export interface KeyValueStore {
  put(namespace: string, key: string, value: JsonValue, options: { overwrite?: boolean; ttlMs?: number; now: string }): Promise<void>;
  /** The entry, or undefined when absent or expired at `now`. */
  get(namespace: string, key: string, now: string): Promise<KvEntry | undefined>;
  list(namespace: string, now: string): Promise<KvEntry[]>;
  /** Whether an entry was deleted. */
  delete(namespace: string, key: string, now: string): Promise<boolean>;
}
