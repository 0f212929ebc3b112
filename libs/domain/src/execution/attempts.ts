import type { TaskDefinition } from '../flow/flow.model.js';
import type { JsonObject } from '../shared/json.js';
import { childExecutionIdFor, type Decision, timerIdFor } from './decision.js';
import { expressionContextOf, type RenderedTaskRun } from './expression-scope.js';
import type { TaskRun } from './execution.state.js';
import { renderProperties, type Rendered } from './rendering.js';
import { runsLocally } from './local-tasks.js';
import { nextAttemptAt } from './retry.policy.js';
import { requestChild } from './subflow.start.js';
import { retryPolicyOf, taskOf, taskRunById } from './task-tree.js';
import { armTaskTimeout } from './task-timeout.arm.js';
import { retryTaskAsNewExecution } from './task-retry.new-execution.js';
import { subflowOutputsFor } from './for-each-item.items.js';
import type { TaskJob } from './task-job.js';
import type { TaskMetric } from './task-metric.js';

/**
 * Attempts of runnable tasks (a worker runs them) and of Subflow tasks (a child execution runs
 * them): dispatching one, and what its success or failure means (retry, allowFailure, WARNING).
 */

/** The task run as expressions see it. */
export const scopeOf = (run: Pick<TaskRun, 'id' | 'taskId' | 'value' | 'parentTaskRunId' | 'startDate'>, task: TaskDefinition): RenderedTaskRun => ({
  id: run.id,
  taskId: task.id,
  taskType: task.typeName,
  ...(run.value !== undefined ? { value: run.value } : {}),
  ...(run.parentTaskRunId !== undefined ? { parentTaskRunId: run.parentTaskRunId } : {}),
  ...(run.startDate !== undefined ? { startDate: run.startDate } : {}),
});

/** The worker's job for attempt `number`: properties rendered now, against the execution as it is. */
export const renderJob = (d: Decision, run: RenderedTaskRun, task: TaskDefinition, number: number): Rendered<TaskJob> => {
  const worker = workingDirectoryOf(d, run);
  const workerValue = worker === undefined ? undefined : loopValueOf(d, worker);
  const scope = workerValue !== undefined && run.value === undefined ? { ...run, value: workerValue } : run;
  const context = expressionContextOf(d.execution, { flow: d.flow, now: d.now, taskRun: { ...scope, attemptsCount: number - 1 } });
  if (worker !== undefined) Object.defineProperty(context, 'workerTaskrun', { value: workerTaskrunOf(worker, workerValue), enumerable: true, configurable: true });
  const rendered = renderProperties(task.id, task.properties, context);
  if ('error' in rendered) return rendered;
  return {
    value: {
      executionId: d.execution.id,
      taskRunId: run.id,
      taskId: task.id,
      attempt: number,
      type: task.type,
      // The task `timeout` (a control property, kept out of the properties) is also the
      // script's own time limit: the sandbox stops the script instead of only being abandoned.
      properties: task.type === 'Script' && task.timeout !== undefined
        ? { ...rendered.value, timeout: task.timeout }
        // ForEachItem's merge writes the subflows' outputs, which the decider holds, into a file.
        : task.type === 'ForEachItemMergeOutputs' ? { ...rendered.value, subflowOutputs: subflowOutputsFor(d, task, run.parentTaskRunId) } : rendered.value,
      ...(task.logLevel !== undefined ? { logLevel: task.logLevel } : {}),
      ...(priorityOf(d) !== undefined ? { priority: priorityOf(d) } : {}),
      // A script reads inputs and earlier outputs as data (it has no expression engine).
      ...(task.type === 'Script' ? { context: { inputs: context.inputs, outputs: context.outputs } } : {}),
      ...(d.localTasks && runsLocally(task.type) ? { local: true as const } : {}),
    },
  };
};

/**
 * Starts attempt `number` of a runnable or Subflow task run that exists: the first one right after
 * TaskRunCreated (`fresh`: its job went out with it) or a retry / restart (TaskRunAttemptCreated).
 */
export const dispatchAttempt = (d: Decision, taskRunId: string, task: TaskDefinition, number: number, job?: Rendered<TaskJob>, fresh = false): void => {
  const first = fresh;
  if (task.type === 'Subflow') {
    if (!first) d.emit({ type: 'TaskRunAttemptCreated', data: { taskRunId, attempt: number, at: d.now } });
    d.emit({ type: 'TaskRunStarted', data: { taskRunId, attempt: number, at: d.now } });
    requestChild(d, taskRunId, task, number, childExecutionIdFor(taskRunId, number));
    if (d.taskRun(taskRunId).state === 'RUNNING') armTaskTimeout(d, taskRunId, task, number);
    return;
  }
  const rendered = job ?? renderJob(d, scopeOf(d.taskRun(taskRunId), task), task, number);
  if ('error' in rendered) {
    // Rendering is the attempt's first step: it fails as that attempt, and retries apply.
    if (!first) d.emit({ type: 'TaskRunAttemptCreated', data: { taskRunId, attempt: number, at: d.now } });
    d.emit({ type: 'TaskRunStarted', data: { taskRunId, attempt: number, at: d.now } });
    attemptFailed(d, taskRunId, task, number, rendered.error);
    return;
  }
  if (!first) d.emit({ type: 'TaskRunAttemptCreated', data: { taskRunId, attempt: number, job: rendered.value, at: d.now } });
};

/** An attempt succeeded: SUCCESS, or WARNING when it needed retries and the policy says so. */
export const attemptSucceeded = (
  d: Decision, taskRunId: string, task: TaskDefinition, number: number, outputs: JsonObject, warning = false, metrics?: readonly TaskMetric[],
): void => {
  const warned = warning || (number > 1 && retryPolicyOf(d.flow, task)?.warningOnRetry === true);
  const taskRunState = warned && task.allowWarning !== true ? 'WARNING' : 'SUCCESS';
  d.emit({
    type: 'TaskRunSucceeded',
    data: { taskRunId, attempt: number, outputs, ...(taskRunState === 'WARNING' ? { taskRunState } : {}), ...withMetrics(metrics), at: d.now },
  });
};

const withMetrics = (metrics: readonly TaskMetric[] | undefined): { metrics?: readonly TaskMetric[] } =>
  metrics !== undefined && metrics.length > 0 ? { metrics } : {};

/**
 * An attempt failed: another attempt after the backoff while the retry policy allows it (a
 * durable timer, even for a zero wait, so a retry never loops inside one decision), else
 * FAILED, or WARNING under `allowFailure`. Nothing is retried while the execution is being killed.
 */
export const attemptFailed = (
  d: Decision, taskRunId: string, task: TaskDefinition, number: number, error: string, outputs?: JsonObject, metrics?: readonly TaskMetric[],
): void => {
  const run = d.taskRun(taskRunId);
  const policy = retryPolicyOf(d.flow, task);
  if (policy?.behavior === 'CREATE_NEW_EXECUTION') {
    if (retryTaskAsNewExecution(d, taskRunId, policy, number, error, outputs, metrics)) return;
  }
  const firstStart = run.attempts[0]?.startDate ?? run.startDate ?? d.now;
  const fireAt = policy !== undefined && policy.behavior === 'RETRY_FAILED_TASK' && d.execution.state !== 'KILLING'
    ? nextAttemptAt(policy, number, firstStart, d.now, `${taskRunId}:${number}`)
    : undefined;
  if (fireAt !== undefined) {
    d.emit(
      { type: 'TaskRunFailed', data: { taskRunId, attempt: number, error, taskRunState: 'RETRYING', ...(outputs ? { outputs } : {}), ...withMetrics(metrics), at: d.now } },
      { type: 'TimerScheduled', data: { timerId: timerIdFor(taskRunId, 'retry', number + 1), fireAt, purpose: 'retry', taskRunId, at: d.now } },
    );
    return;
  }
  const taskRunState = task.allowFailure !== true ? 'FAILED' : task.allowWarning === true ? 'SUCCESS' : 'WARNING';
  d.emit({
    type: 'TaskRunFailed',
    data: { taskRunId, attempt: number, error, ...(taskRunState !== 'FAILED' ? { taskRunState } : {}), ...(outputs ? { outputs } : {}), ...withMetrics(metrics), at: d.now },
  });
};

/** The WorkingDirectory task run a task runs in (its parent), if any. */
const workingDirectoryOf = (d: Decision, run: RenderedTaskRun): TaskRun | undefined => {
  const parent = run.parentTaskRunId === undefined ? undefined : taskRunById(d.execution, run.parentTaskRunId);
  return parent !== undefined && taskOf(d.flow, parent.taskId)?.type === 'WorkingDirectory' ? parent : undefined;
};

/**
 * Kestra's RunContext.forWorkingDirectory: the tasks of a WorkingDirectory see it as
 * `workerTaskrun`, and its loop value as their own `taskrun.value`.
 */
const workerTaskrunOf = (worker: TaskRun, value: string | undefined): JsonObject => ({
  id: worker.id,
  ...(worker.startDate !== undefined ? { startDate: worker.startDate } : {}),
  attemptsCount: worker.attempts.length,
  ...(worker.parentTaskRunId !== undefined ? { parentId: worker.parentTaskRunId } : {}),
  ...(value !== undefined ? { value } : {}),
});

/** The loop value a task run is in: its own, else its nearest ancestor's (Kestra passes it down to nested tasks). */
const loopValueOf = (d: Decision, run: TaskRun): string | undefined => {
  for (let r: TaskRun | undefined = run; r !== undefined; r = r.parentTaskRunId === undefined ? undefined : taskRunById(d.execution, r.parentTaskRunId)) {
    if (r.value !== undefined) return r.value;
  }
  return undefined;
};

/** The run's own priority (set at start or steered since), else the flow's. */
export const priorityOf = (d: Decision): number | undefined => d.execution.options?.priority ?? d.flow.priority;
