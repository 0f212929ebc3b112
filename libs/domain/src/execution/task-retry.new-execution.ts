import type { RetryPolicy } from '../flow/flow.model.js';
import type { JsonObject } from '../shared/json.js';
import type { Decision } from './decision.js';
import { retryAsNewExecution } from './execution.end.js';
import { nextAttemptAt } from './retry.policy.js';
import { isTerminal } from './state.js';
import { stopRuns } from './stop-runs.js';
import { ancestorsOf } from './task-tree.js';
import type { TaskMetric } from './task-metric.js';

/**
 * A task's retry with `behavior: CREATE_NEW_EXECUTION` (its own, or an enclosing flowable's), as
 * Kestra's ExecutorService.handleRetryTask: the failed attempt counts against the *execution's*
 * attempt number (TaskRun.nextRetryDate(retry, execution): `maxAttempt` is reached when the
 * execution's attempt number is), the task run and its parents end RETRIED, the execution ends
 * RETRIED and a new execution (attempt number + 1, same originalId) starts after the backoff,
 * from the beginning. What else was running is stopped. `maxDuration` counts from the creation
 * of the chain's first execution (`originalCreatedDate`). False when the policy is exhausted: the
 * task then fails as any other.
 */
export const retryTaskAsNewExecution = (
  d: Decision, taskRunId: string, policy: RetryPolicy, number: number, error: string, outputs?: JsonObject, metrics?: readonly TaskMetric[], logFile?: string,
): boolean => {
  const execution = d.execution;
  if (execution.state !== 'RUNNING') return false;
  const notBefore = nextAttemptAt(policy, execution.attemptNumber, execution.originalCreatedDate ?? execution.startDate, d.now, `${execution.originalId}:${execution.attemptNumber + 1}`);
  if (notBefore === undefined) return false;
  d.emit({
    type: 'TaskRunFailed',
    data: { taskRunId, attempt: number, error, ...(outputs ? { outputs } : {}), ...(metrics !== undefined && metrics.length > 0 ? { metrics } : {}), ...(logFile !== undefined ? { logFile } : {}), at: d.now },
  });
  const run = d.taskRun(taskRunId);
  const chain = [run, ...ancestorsOf(d.execution, run)];
  const others = new Set(d.execution.taskRuns.filter((t) => !isTerminal(t.state) && !chain.some((c) => c.id === t.id)).map((t) => t.id));
  stopRuns(d, others, `killed: task ${run.taskId} retries in a new execution`);
  for (const link of chain) {
    if (!isTerminal(d.taskRun(link.id).state)) d.emit({ type: 'TaskRunStateChanged', data: { taskRunId: link.id, state: 'FAILED', error: `task ${run.taskId} failed: ${error}`, at: d.now } });
    d.emit({ type: 'TaskRunStateChanged', data: { taskRunId: link.id, state: 'RETRIED', at: d.now } });
  }
  for (const timer of d.execution.timers) d.emit({ type: 'TimerCancelled', data: { timerId: timer.timerId, at: d.now } });
  retryAsNewExecution(d, `task ${run.taskId} failed: ${error}`, notBefore);
  return true;
};
