import { maskSecretValues, withDeferredRendered } from './deferred-properties.js';
import { reachScopedServices } from './namespace-reach.js';
import { TaskFailure, type RunnableTask, type TaskRunContext } from './runnable-task.js';
import type { TaskServices } from './task-services.types.js';

export type { TaskServices } from './task-services.types.js';

export const servicesOf = (context: TaskRunContext): TaskServices => {
  if (!context.services) throw new TaskFailure(`task type ${context.job.type} needs the internal storage, which this worker was not given`);
  return context.services;
};

/** The flow a storage task works in (its job carries it: the type has `io`). */
export const flowOf = (context: TaskRunContext): { namespace: string; flowId: string } => {
  if (!context.job.flow) throw new TaskFailure(`task type ${context.job.type} needs its flow's namespace, which its job lacks (dispatched by an older executor?)`);
  return context.job.flow;
};

/**
 * A task as the worker runs it: with the stores in its context, its deferred properties rendered
 * first (deferred-rendering.ts in the domain), and the secrets that rendering read masked in its
 * log lines, as Kestra masks them.
 */
export const withTaskServices = (task: RunnableTask | undefined, services: TaskServices | undefined): RunnableTask | undefined => {
  if (!task) return undefined;
  return async (context) => {
    const secrets: string[] = [];
    // Every store access of the task and of its expressions stays within the namespaces its flow may reach.
    const scoped = services ? reachScopedServices(services, context.job) : undefined;
    const job = await withDeferredRendered(context.job, scoped, (secret) => secrets.push(secret));
    const log = secrets.length === 0 ? context.log : (level: Parameters<TaskRunContext['log']>[0], message: string) => context.log(level, maskSecretValues(message, secrets));
    return task({ ...context, job, log, ...(scoped ? { services: scoped } : {}) });
  };
};
