import type { TaskTypeDefinition } from '@chronicle/domain';
import type { RunnableTask } from './runnable-task.js';

/**
 * The runner of a type whose whole work is its definition's pure run (Return, OutputValues): a job
 * recorded without the `local` flag runs on the worker exactly as the executor runs it locally.
 */
export const pureRunTask = (definition: TaskTypeDefinition): RunnableTask => {
  const { run } = definition;
  if (run === undefined) throw new Error(`task type ${definition.name} has no pure run`);
  return async ({ job }) => run(job.properties);
};
