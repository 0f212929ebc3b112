import { logLinesOf } from '@chronicle/domain';
import type { RunnableTask } from '../runnable-task.js';

/**
 * `Log` (io.kestra.plugin.core.log.Log): `message` a string or a list, `level` (INFO). No outputs.
 * Normally a local task (the executor runs it, see the domain's local-tasks.ts); the worker runs
 * jobs recorded without the `local` flag, with the same function.
 */
export const logTask: RunnableTask = async ({ job, log }) => {
  for (const line of logLinesOf(job.properties)) log(line.level, line.message);
  return {};
};
