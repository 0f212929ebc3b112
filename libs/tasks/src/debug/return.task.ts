import { returnValueOf } from '@chronicle/domain';
import type { RunnableTask } from '../runnable-task.js';

/** `Return` (io.kestra.plugin.core.debug.Return): outputs `{ value }`, the rendered `format`. A local task, like Log. */
export const returnTask: RunnableTask = async ({ job }) => returnValueOf(job.properties);
