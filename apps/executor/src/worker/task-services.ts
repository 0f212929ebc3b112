import type { EnvSecrets, ExecutionLogStore, InternalStorage, KvStore } from '@chronicle/application';
import { TaskFailure, type TaskRunContext } from './runnable-task.js';

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

export const servicesOf = (context: TaskRunContext): TaskServices => {
  if (!context.services) throw new TaskFailure(`task type ${context.job.type} needs the internal storage, which this worker was not given`);
  return context.services;
};

/** The flow a storage task works in (its job carries it: the type has `io`). */
export const flowOf = (context: TaskRunContext): { namespace: string; flowId: string } => {
  if (!context.job.flow) throw new TaskFailure(`task type ${context.job.type} needs its flow's namespace, which its job lacks (dispatched by an older executor?)`);
  return context.job.flow;
};
