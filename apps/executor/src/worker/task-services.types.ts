import type { EnvSecrets, ExecutionLogStore, InternalStorage, KvStore } from '@chronicle/application';

/**
 * What storage and KV tasks, and the expression host, reach: the internal storage, the KV store and
 * the secrets, the same for every worker of a deployment (platform.storage, kv_entries).
 */
export interface TaskServices {
  readonly storage: InternalStorage;
  readonly kv: KvStore;
  readonly secrets: EnvSecrets;
  /** The read model's task logs (log.Fetch, log.PurgeLogs). */
  readonly logs?: ExecutionLogStore;
  /** The worker's clock, ISO-8601 (KV TTLs). */
  now(): string;
}
