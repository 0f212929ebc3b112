import type { RunnableTask } from '../runnable-task.js';
import { logTask } from './log.task.js';
import { outputValuesTask } from './output-values.task.js';

/** Runnable task implementations by canonical short type name (the domain's registry names them). */
export const RUNNABLE_TASKS: Readonly<Record<string, RunnableTask>> = {
  Log: logTask,
  OutputValues: outputValuesTask,
};
