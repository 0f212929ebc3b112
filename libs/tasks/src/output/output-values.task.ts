import { outputValuesOf } from '@chronicle/domain';
import type { RunnableTask } from '../runnable-task.js';

/** `OutputValues` (io.kestra.plugin.core.output.OutputValues): outputs `{ values }` as rendered. A local task, like Log. */
export const outputValuesTask: RunnableTask = async ({ job }) => outputValuesOf(job.properties);
