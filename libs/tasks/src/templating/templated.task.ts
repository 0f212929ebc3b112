import { findTaskType, parseTemplatedTask, type JsonObject } from '@chronicle/domain';
import { renderAtRunTime } from '../deferred-properties.js';
import { TaskFailure, type RunnableTask } from '../runnable-task.js';

/**
 * `templating.TemplatedTask` (TemplatedTask.java): `spec`, rendered at dispatch, is YAML describing a
 * runnable task; the worker checks it as a deploy would and runs it in this task run. As in Kestra
 * the inner task renders its own properties again (against the same variables), so a spec may
 * build expressions for its task.
 */
export const templatedTask = (find: (type: string) => RunnableTask | undefined): RunnableTask => async (context) => {
  const spec = context.job.properties.spec;
  if (typeof spec !== 'string') throw new TaskFailure(`spec must be a string of YAML, got ${JSON.stringify(spec)}`);
  const parsed = parseTemplatedTask(spec, context.job.taskId);
  if ('error' in parsed) throw new TaskFailure(parsed.error);
  const { task } = parsed;
  const run = find(task.type);
  if (!run) throw new TaskFailure(`no worker implementation for task type ${task.type}`);
  const raw = findTaskType(task.type)?.io?.rawProperties ?? [];
  const properties: JsonObject = {};
  for (const [key, value] of Object.entries(task.properties)) {
    properties[key] = raw.includes(key) ? value : await renderAtRunTime(context.job, context.services, value);
  }
  return run({ ...context, job: { ...context.job, type: task.type, properties } });
};
