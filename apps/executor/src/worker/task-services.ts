import { maskSecretValues, withDeferredRendered, type RunnableTask, type TaskRunContext, type TaskServices } from '@chronicle/tasks';
import { reachScopedServices } from './namespace-reach.js';

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
