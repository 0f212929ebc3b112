import { parseTemplatedTask, type JsonObject, type TaskCatalog } from '@chronicle/domain';
import { renderAtRunTime } from '../deferred-properties.js';
import { ioDefinition, required, string } from '../io-property-checks.js';
import { TaskFailure, type RunnableTask } from '../runnable-task.js';
import type { TaskModule } from '../task-module.js';

/** What a TemplatedTask needs to run the task its spec describes: the full catalog and its runners (catalog.ts). */
export interface TemplatedTaskHost {
  readonly taskTypes: TaskCatalog;
  runnerOf(type: string): RunnableTask | undefined;
}

/**
 * `templating.TemplatedTask` (TemplatedTask.java): `spec`, rendered at dispatch, is YAML describing a
 * runnable task; the worker checks it as a deploy would and runs it in this task run. As in Kestra
 * the inner task renders its own properties again (against the same variables), so a spec may
 * build expressions for its task.
 */
export const templatedTask = (host: () => TemplatedTaskHost): RunnableTask => async (context) => {
  const spec = context.job.properties.spec;
  if (typeof spec !== 'string') throw new TaskFailure(`spec must be a string of YAML, got ${JSON.stringify(spec)}`);
  const { taskTypes, runnerOf } = host();
  const parsed = parseTemplatedTask(spec, context.job.taskId, taskTypes);
  if ('error' in parsed) throw new TaskFailure(parsed.error);
  const { task } = parsed;
  const run = runnerOf(task.type);
  if (!run) throw new TaskFailure(`no worker implementation for task type ${task.type}`);
  const raw = taskTypes.find(task.type)?.io?.rawProperties ?? [];
  const properties: JsonObject = {};
  for (const [key, value] of Object.entries(task.properties)) {
    properties[key] = raw.includes(key) ? value : await renderAtRunTime(context.job, context.services, value);
  }
  return run({ ...context, job: { ...context.job, type: task.type, properties } });
};

/**
 * The TemplatedTask module. Its runner looks the spec's type up in the catalog that lists this module
 * itself, so the catalog passes itself in (`host`, called when a task runs) rather than be imported here.
 */
export const templatedTaskModule = (host: () => TemplatedTaskHost): TaskModule => ({
  // The spec is rendered at dispatch; its task is checked and run by the worker (the domain's templated-task.ts).
  definition: ioDefinition('templating.TemplatedTask', 'io.kestra.plugin.core.templating.TemplatedTask', { spec: required('spec', string) }, {
    aliases: ['io.kestra.core.tasks.templating.TemplatedTask'], io: { renderContext: true },
  }),
  run: templatedTask(host),
});
