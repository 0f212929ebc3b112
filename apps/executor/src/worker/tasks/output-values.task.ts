import type { JsonObject } from '@chronicle/domain';
import { TaskFailure, type RunnableTask } from '../runnable-task.js';

/** `OutputValues` (io.kestra.plugin.core.output.OutputValues): outputs `{ values }` as rendered. */
export const outputValuesTask: RunnableTask = async ({ job }) => {
  const values = job.properties.values;
  if (typeof values !== 'object' || values === null || Array.isArray(values)) throw new TaskFailure('values must be a map of names to values');
  return { values: values as JsonObject };
};
