import type { TaskDefinition } from '../flow/flow.model.js';
import type { JsonObject } from '../shared/json.js';
import { type Decision, timerIdFor } from './decision.js';
import { nextAttemptAt } from './retry.policy.js';
import { retryPolicyOf } from './task-tree.js';
import { retryTaskAsNewExecution } from './task-retry.new-execution.js';
import type { TaskMetric } from './task-metric.js';

/*
 * How an attempt ends (retry, allowFailure, WARNING): a leaf that the worker's reports, the
 * timers, Subflow and the attempts' dispatch all call, so none of them imports another.
 */

/** An attempt succeeded: SUCCESS, or WARNING when it needed retries and the policy says so. */
export const attemptSucceeded = (
  d: Decision, taskRunId: string, task: TaskDefinition, number: number, outputs: JsonObject, warning = false, metrics?: readonly TaskMetric[], logFile?: string,
  workingFiles?: Readonly<Record<string, string>>,
): void => {
  const warned = warning || (number > 1 && retryPolicyOf(d.flow, task)?.warningOnRetry === true);
  const taskRunState = warned && task.allowWarning !== true ? 'WARNING' : 'SUCCESS';
  d.emit({
    type: 'TaskRunSucceeded',
    data: { taskRunId, attempt: number, outputs, ...(taskRunState === 'WARNING' ? { taskRunState } : {}), ...withMetrics(metrics), ...withLogFile(logFile), ...(workingFiles !== undefined && Object.keys(workingFiles).length > 0 ? { workingFiles } : {}), at: d.now },
  });
};

const withMetrics = (metrics: readonly TaskMetric[] | undefined): { metrics?: readonly TaskMetric[] } =>
  metrics !== undefined && metrics.length > 0 ? { metrics } : {};

const withLogFile = (logFile: string | undefined): { logFile?: string } => (logFile !== undefined ? { logFile } : {});

/**
 * An attempt failed: another attempt after the backoff while the retry policy allows it (a
 * durable timer, even for a zero wait, so a retry never loops inside one decision), else
 * FAILED, or WARNING under `allowFailure`. Nothing is retried while the execution is being killed.
 */
export const attemptFailed = (
  d: Decision, taskRunId: string, task: TaskDefinition, number: number, error: string, outputs?: JsonObject, metrics?: readonly TaskMetric[], logFile?: string,
): void => {
  const run = d.taskRun(taskRunId);
  const policy = retryPolicyOf(d.flow, task);
  if (policy?.behavior === 'CREATE_NEW_EXECUTION') {
    if (retryTaskAsNewExecution(d, taskRunId, policy, number, error, outputs, metrics, logFile)) return;
  }
  const firstStart = run.attempts[0]?.startDate ?? run.startDate ?? d.now;
  const fireAt = policy !== undefined && policy.behavior === 'RETRY_FAILED_TASK' && d.execution.state !== 'KILLING'
    ? nextAttemptAt(policy, number, firstStart, d.now, `${taskRunId}:${number}`)
    : undefined;
  if (fireAt !== undefined) {
    d.emit(
      { type: 'TaskRunFailed', data: { taskRunId, attempt: number, error, taskRunState: 'RETRYING', ...(outputs ? { outputs } : {}), ...withMetrics(metrics), ...withLogFile(logFile), at: d.now } },
      { type: 'TimerScheduled', data: { timerId: timerIdFor(taskRunId, 'retry', number + 1), fireAt, purpose: 'retry', taskRunId, at: d.now } },
    );
    return;
  }
  const taskRunState = task.allowFailure !== true ? 'FAILED' : task.allowWarning === true ? 'SUCCESS' : 'WARNING';
  d.emit({
    type: 'TaskRunFailed',
    data: { taskRunId, attempt: number, error, ...(taskRunState !== 'FAILED' ? { taskRunState } : {}), ...(outputs ? { outputs } : {}), ...withMetrics(metrics), ...withLogFile(logFile), at: d.now },
  });
};
