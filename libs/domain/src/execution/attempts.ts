import type { TaskDefinition } from '../flow/flow.model.js';
import type { JsonObject } from '../shared/json.js';
import { attemptFailed } from './attempt.end.js';
import { childExecutionIdFor, type Decision } from './decision.js';
import { expressionContextOf, type RenderedTaskRun } from './expression-scope.js';
import type { TaskRun } from './execution.state.js';
import { renderProperties, type Rendered } from './rendering.js';
import { withIoFields } from './deferred-rendering.js';
import { runsLocally } from '../task-types/local-tasks.js';
import { requestChild } from './subflow.start.js';
import { taskOf, taskRunById } from './task-tree.js';
import { armTaskTimeout } from './task-timeout.arm.js';
import { subflowOutputsFor } from './for-each-item.items.js';
import type { TaskJob } from './task-job.js';
import { scopeOf } from './task-run.scope.js';
import { workingDirectoryFiles, workingDirectoryRunOf } from './working-directory.files.js';

/**
 * Attempts of runnable tasks (a worker runs them) and of Subflow tasks (a child execution runs
 * them): rendering the job and dispatching one (how an attempt ends is attempt.end.ts).
 */

/** The worker's job for attempt `number`: properties rendered now, against the execution as it is. */
export const renderJob = (d: Decision, run: RenderedTaskRun, task: TaskDefinition, number: number): Rendered<TaskJob> => {
  const worker = workingDirectoryOf(d, run);
  const workerValue = worker === undefined ? undefined : loopValueOf(d, worker);
  const scope = workerValue !== undefined && run.value === undefined ? { ...run, value: workerValue } : run;
  const context = expressionContextOf(d.execution, { flow: d.flow, now: d.now, installation: d.installation, taskRun: { ...scope, attemptsCount: number - 1 } });
  if (worker !== undefined) Object.defineProperty(context, 'workerTaskrun', { value: workerTaskrunOf(worker, workerValue), enumerable: true, configurable: true });
  const rendered = renderProperties(d.taskTypes, task.id, task.properties, context);
  if ('error' in rendered) return rendered;
  const job = d.taskTypes.find(task.type)?.job;
  // LocalFiles works in its WorkingDirectory's folder: the files written before it (working-directory.files.ts).
  let workingDirectory: TaskJob['workingDirectory'];
  if (job?.workingDirectoryFiles === true) {
    const folder = workingDirectoryRunOf(d, run);
    const files = folder === undefined ? { value: {} } : workingDirectoryFiles(d, folder);
    if ('error' in files) return files;
    workingDirectory = { files: files.value };
  }
  // Storage and KV tasks, and properties left to the worker: their flow and variables (deferred-rendering.ts).
  return withIoFields(d.taskTypes, d.execution, task, context, {
    value: {
      executionId: d.execution.id,
      taskRunId: run.id,
      taskId: task.id,
      attempt: number,
      type: task.type,
      // The task `timeout` (a control property, kept out of the properties) is also the
      // script's own time limit: the sandbox stops the script instead of only being abandoned.
      properties: job?.timeout === true && task.timeout !== undefined
        ? { ...rendered.value, timeout: task.timeout }
        // ForEachItem's merge writes the subflows' outputs, which the decider holds, into a file.
        : task.type === 'ForEachItemMergeOutputs' ? { ...rendered.value, subflowOutputs: subflowOutputsFor(d, task, run.parentTaskRunId) } : rendered.value,
      ...(task.logLevel !== undefined ? { logLevel: task.logLevel } : {}),
      // logToFile: the worker (never the decider) writes the lines to the flow's internal storage.
      ...(task.logToFile === true ? { logToFile: true as const, flow: { namespace: d.execution.namespace, flowId: d.execution.flowId } } : {}),
      ...(priorityOf(d) !== undefined ? { priority: priorityOf(d) } : {}),
      // A script reads inputs and earlier outputs as data (it has no expression engine).
      ...(job?.dataContext === true ? { context: { inputs: context.inputs, outputs: context.outputs } } : {}),
      ...(d.localTasks && runsLocally(d.taskTypes, task.type) && task.logToFile !== true ? { local: true as const } : {}),
      ...(workingDirectory !== undefined ? { workingDirectory } : {}),
    },
  });
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
