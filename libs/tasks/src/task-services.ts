import type { ExecutionAdmin, ExecutionLogs, InternalStorage, KeyValueStore, Secrets } from '@chronicle/use-cases';
import type { NamespaceAllowRule } from '@chronicle/domain';
import type { TriggerKey } from '@chronicle/use-cases';

/** Enables or disables a flow's trigger at run time (trigger.Toggle); says when the flow or the trigger does not exist. */
export interface TriggerToggles {
  setEnabled(key: TriggerKey, enabled: boolean): Promise<'done' | 'no-flow' | 'no-trigger'>;
}

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
  /** The run-time trigger states trigger.Toggle changes. */
  readonly triggers?: TriggerToggles;
  /** CHRONICLE_NAMESPACE_ALLOW: which other namespaces those tasks may reach beyond the flow's own and its children. */
  readonly namespaceAllow?: readonly NamespaceAllowRule[];
  /**
   * The execution that started this one as a Subflow or ForEachItem child (its files are the child's
   * to read, namespace-reach.ts), or undefined.
   */
  parentOf?(executionId: string): Promise<{ namespace: string; flowId: string; executionId: string } | undefined>;
  /** The values of an execution's SECRET inputs, longest first (log.Fetch hides them in what it copies). */
  secretValuesOf?(executionId: string): Promise<string[]>;
  /** The worker's clock, ISO-8601 (KV TTLs). */
  now(): string;
}

