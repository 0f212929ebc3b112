import { isTruthy } from '@chronicle/domain';
import { TaskFailure, type RunnableTask } from '../runnable-task.js';

export const DEFAULT_FAIL_MESSAGE = 'Task failure';

/**
 * `Fail` (io.kestra.plugin.core.execution.Fail): fails its task run with `errorMessage`,
 * always, or only when the rendered `condition` is truthy: the domain's `isTruthy`, Kestra's rule
 * for rendered text, the one the decider applies to `If` (a YAML boolean or number counts as its text).
 */
export const failTask: RunnableTask = async ({ job, log }) => {
  const { condition, errorMessage } = job.properties as { condition?: unknown; errorMessage?: unknown };
  const message = errorMessage === undefined || errorMessage === null ? DEFAULT_FAIL_MESSAGE : String(errorMessage);
  // No condition (absent or null, as in Kestra) means: always fail.
  if (condition !== undefined && condition !== null && !isTruthy(typeof condition === 'string' ? condition : JSON.stringify(condition))) {
    log('DEBUG', `condition ${JSON.stringify(condition)} is false: not failing`);
    return {};
  }
  throw new TaskFailure(message);
};
