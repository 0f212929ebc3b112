import type { InternalStorage } from '@chronicle/use-cases';
import type { EnvSecrets, ExecutionAdminStore, ExecutionLogStore, KvStore } from '@chronicle/stores';
import type { NamespaceAllowRule } from '@chronicle/domain';
import type { TriggerKey } from '@chronicle/use-cases';

/** Enables or disables a flow's trigger at run time (trigger.Toggle); says when the flow or the trigger does not exist. */
export interface TriggerToggles {
  setEnabled(key: TriggerKey, enabled: boolean): Promise<'done' | 'no-flow' | 'no-trigger'>;
}

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
  /**
   * Resolves once the log projection stored every line the execution published so far (true), or
   * after a bounded wait (false): log.Fetch reads the log store only then.
   */
  readonly logsStored?: (executionId: string) => Promise<boolean>;
  /** The executions execution.Count counts and execution.PurgeExecutions purges. */
  readonly executions?: ExecutionAdminStore;
  /** The run-time trigger states trigger.Toggle changes. */
  readonly triggers?: TriggerToggles;
  /** CHRONICLE_NAMESPACE_ALLOW: which other namespaces those tasks may reach beyond the flow's own and its children. */
  readonly namespaceAllow?: readonly NamespaceAllowRule[];
  /** The worker's clock, ISO-8601 (KV TTLs). */
  now(): string;
}
