import type { ExecutionAdmin, ExecutionLogs, InternalStorage, KeyValueStore, Secrets } from '@chronicle/use-cases';
import type { NamespaceAllowRule } from '@chronicle/domain';

/**
 * What storage and KV tasks, and the expression host, reach: the internal storage, the KV store and
 * the secrets, the same for every worker of a deployment (the platform's INTERNAL_STORAGE, KV_STORE, SECRETS, EXECUTION_LOGS and EXECUTION_ADMIN ports).
 */
export interface TaskServices {
  readonly storage: InternalStorage;
  readonly kv: KeyValueStore;
  readonly secrets: Secrets;
  /** The read model's task logs (log.Fetch, log.PurgeLogs). */
  readonly logs?: ExecutionLogs;
  /**
   * Resolves once the log projection stored every line the execution published so far (true), or
   * after a bounded wait (false): log.Fetch reads the log store only then.
   */
  readonly logsStored?: (executionId: string) => Promise<boolean>;
  /** The executions execution.Count counts and execution.PurgeExecutions purges. */
  readonly executions?: ExecutionAdmin;
  /** CHRONICLE_NAMESPACE_ALLOW: which other namespaces those tasks may reach beyond the flow's own and its children. */
  readonly namespaceAllow?: readonly NamespaceAllowRule[];
  /** The worker's clock, ISO-8601 (KV TTLs). */
  now(): string;
}
