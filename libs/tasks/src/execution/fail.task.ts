import { failureOf } from '@chronicle/domain';
import { TaskFailure, type RunnableTask } from '../runnable-task.js';

export { DEFAULT_FAIL_MESSAGE } from '@chronicle/domain';

/**
 * `Fail` (io.kestra.plugin.core.execution.Fail): fails its task run with `errorMessage`, always,
 * or only when the rendered `condition` is truthy (the domain's `failureOf`, which the test
 * driver runs too).
 */
export const failTask: RunnableTask = async ({ job, log }) => {
  const failure = failureOf(job.properties);
  if (failure === undefined) {
    log('DEBUG', `condition ${JSON.stringify(job.properties.condition)} is false: not failing`);
    return {};
  }
  throw new TaskFailure(failure);
};
