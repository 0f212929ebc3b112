import { TaskFailure, type TaskRunContext } from './runnable-task.js';
import type { TaskServices } from './task-services.js';

/** The services of a task that needs them; a clear failure when this worker was built without them. */
export const servicesOf = (context: TaskRunContext): TaskServices => {
  if (!context.services) throw new TaskFailure(`task type ${context.job.type} needs the internal storage, which this worker was not given`);
  return context.services;
};

/** The flow a storage task works in (its job carries it: the type has `io`). */
export const flowOf = (context: TaskRunContext): { namespace: string; flowId: string } => {
  if (!context.job.flow) throw new TaskFailure(`task type ${context.job.type} needs its flow's namespace, which its job lacks (dispatched by an older executor?)`);
  return context.job.flow;
};
