import { echoLineOf } from '@chronicle/domain';
import type { RunnableTask } from '../runnable-task.js';

/** `Echo` (io.kestra.plugin.core.debug.Echo, Kestra's deprecated Log): logs the line of its pure run (the domain's echo.task-type.ts). */
export const echoTask: RunnableTask = async ({ job, log }) => {
  const line = echoLineOf(job.properties);
  log(line.level, line.message);
  return {};
};
