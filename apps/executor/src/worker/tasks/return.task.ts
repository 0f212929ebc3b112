import type { JsonValue } from '@chronicle/domain';
import type { RunnableTask } from '../runnable-task.js';

/** `Return` (io.kestra.plugin.core.debug.Return): outputs `{ value }`, the rendered `format`. */
export const returnTask: RunnableTask = async ({ job }) => {
  const format = job.properties.format;
  return { value: (format ?? null) as JsonValue };
};
