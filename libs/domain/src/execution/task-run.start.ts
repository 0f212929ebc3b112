import type { TaskDefinition } from '../flow/flow.model.js';
import type { ExpressionContext } from '../expression/expression-context.js';
import type { JsonObject, JsonValue } from '../shared/json.js';
import { dispatchAttempt, renderJob } from './attempts.js';
import { type Decision, taskRunIdFor, timerIdFor } from './decision.js';
import { expressionContextOf } from './expression-scope.js';
import { addMs, javaDurationText, parseIsoDuration } from './iso-duration.js';
import { startExit, startLabels, startResume, startStatusMessage } from './execution-update.start.js';
import { startWaitForExecution } from './watch.control.js';
import { loopValues } from './loop-values.js';
import { startForEachItems } from './for-each-item.items.js';
import { startSetVariables, startUnsetVariables } from './variables.start.js';
import { isTruthy, renderText, type Rendered } from './rendering.js';
import { hasAttempts } from './task-tree.js';
import { isZonedDateTime } from './zoned-date-time.js';
import { sleepUntil } from './sleep-until.js';
import { armTaskTimeout } from './task-timeout.arm.js';
import type { TaskRunCreated } from './execution.events.js';
import { createGated } from './task-gates.js';

/**
 * Creates the task run of `task` under `parentId` (the root when undefined), carrying the loop
 * `value` when it is a loop's direct child, and takes its first steps: the worker's job for a
 * runnable, the child request of a Subflow, the branch or the values of a flowable, the timers of
 * Sleep and Pause. Failures to render fail the task run (a runnable's first attempt).
 */
export const startTask = (d: Decision, task: TaskDefinition, parentId: string | undefined, value: string | undefined, iteration?: number): void => {
  const taskRunId = taskRunIdFor(d.execution.id, d.execution.taskRuns.length);
  const base = {
    taskRunId,
    taskId: task.id,
    ...(parentId !== undefined ? { parentTaskRunId: parentId } : {}),
    ...(value !== undefined ? { value } : {}),
    ...(iteration !== undefined ? { iteration } : {}),
    at: d.now,
  };
  if (task.runIf !== undefined && skippedByRunIf(d, task, base)) return;
  // A breakpoint or named locks hold it before its first step (task-gates.ts).
  if (createGated(d, task, base, startFlowable)) return;
  if (hasAttempts(d.taskTypes, task)) {
    // 1, or after a rewind the number after the attempts the abandoned branch used under this id.
    const first = (d.execution.abandonedAttempts?.[taskRunId]?.length ?? 0) + 1;
    const job = task.type === 'Subflow'
      ? undefined
      : renderJob(d, { id: taskRunId, taskId: task.id, taskType: task.typeName, ...(value !== undefined ? { value } : {}), ...(parentId !== undefined ? { parentTaskRunId: parentId } : {}), ...(iteration !== undefined ? { iteration } : {}), startDate: d.now }, task, first);
    d.emit({ type: 'TaskRunCreated', data: job !== undefined && 'value' in job ? { ...base, job: job.value } : base });
    if (job === undefined || 'error' in job) dispatchAttempt(d, taskRunId, task, first, job, true);
    return;
  }
  d.emit({ type: 'TaskRunCreated', data: base });
  startFlowable(d, taskRunId, task);
  if (d.taskRun(taskRunId).state === 'RUNNING') armTaskTimeout(d, taskRunId, task);
};

/**
 * Kestra's `runIf` (jdbc/.../JdbcExecutor.java, 0.21): rendered when the task run is created,
 * before anything of the task runs; falsy: the task run ends SKIPPED (its list goes on); an
 * expression that cannot render fails the task run. True: the task starts as usual.
 */
const skippedByRunIf = (d: Decision, task: TaskDefinition, base: TaskRunCreated['data']): boolean => {
  const context = expressionContextOf(d.execution, {
    flow: d.flow,
    now: d.now,
    installation: d.installation,
    taskRun: { id: base.taskRunId, taskId: task.id, taskType: task.typeName, ...(base.value !== undefined ? { value: base.value } : {}), ...(base.parentTaskRunId !== undefined ? { parentTaskRunId: base.parentTaskRunId } : {}), ...(base.iteration !== undefined ? { iteration: base.iteration } : {}), startDate: d.now },
  });
  const condition = renderText(task.id, 'runIf', task.runIf, context);
  if ('value' in condition && isTruthy(condition.value)) return false;
  d.emit({ type: 'TaskRunCreated', data: base });
  d.emit({
    type: 'TaskRunStateChanged',
    data: 'error' in condition
      ? { taskRunId: base.taskRunId, state: 'FAILED', error: condition.error, at: d.now }
      : { taskRunId: base.taskRunId, state: 'SKIPPED', at: d.now },
  });
  return true;
};

export const startFlowable = (d: Decision, taskRunId: string, task: TaskDefinition): void => {
  const run = d.taskRun(taskRunId);
  const context = expressionContextOf(d.execution, {
    flow: d.flow,
    now: d.now,
    installation: d.installation,
    taskRun: { id: run.id, taskId: task.id, taskType: task.typeName, ...(run.value !== undefined ? { value: run.value } : {}), ...(run.parentTaskRunId !== undefined ? { parentTaskRunId: run.parentTaskRunId } : {}), startDate: d.now },
  });
  const fail = (error: string): void => d.emit({ type: 'TaskRunStateChanged', data: { taskRunId, state: 'FAILED', error, at: d.now } });
  const running = (extra: { outputs?: JsonObject; iterations?: string[] } = {}): void =>
    d.emit({ type: 'TaskRunStateChanged', data: { taskRunId, state: 'RUNNING', ...extra, at: d.now } });
  const p = task.properties;
  switch (task.type) {
    case 'If': {
      const condition = renderText(task.id, 'condition', p.condition, context);
      if ('error' in condition) return fail(condition.error);
      return running({ outputs: { evaluationResult: isTruthy(condition.value) } });
    }
    case 'Switch': {
      const rendered = renderText(task.id, 'value', p.value, context);
      if ('error' in rendered) return fail(rendered.error);
      const matched = Object.hasOwn(task.cases ?? {}, rendered.value);
      running({ outputs: { value: rendered.value, defaults: !matched } });
      if (!matched && (task.lists?.defaults ?? []).length === 0) {
        fail(`task ${task.id}: no case matches "${rendered.value}" and there are no defaults`);
      }
      return;
    }
    case 'ForEach':
    case 'EachSequential':
    case 'EachParallel': {
      const values = loopValues(task.id, task.type === 'ForEach' ? p.values : p.value, context);
      if ('error' in values) return fail(values.error);
      return running({ iterations: values.value });
    }
    case 'Sleep': {
      const duration = durationOf(task, 'duration', p.duration, context);
      if ('error' in duration) return fail(duration.error);
      running();
      // Kestra's Sleep logs `Waiting for <duration>` at INFO (log.Fetch counts it).
      const log = { taskId: task.id, level: 'INFO' as const, message: `Waiting for ${javaDurationText(duration.value)}` };
      d.emit({ type: 'TimerScheduled', data: { timerId: timerIdFor(taskRunId, 'sleep'), fireAt: addMs(d.now, duration.value), purpose: 'sleep', taskRunId, log, at: d.now } });
      return;
    }
    case 'SleepUntil': {
      // The rendered date is kept in the outputs (`until`): a restart sleeps until the same date.
      const text = renderText(task.id, 'date', p.date, context);
      if ('error' in text) return fail(text.error);
      if (!isZonedDateTime(text.value)) return fail(`task ${task.id}, property "date": "${text.value}" is not an ISO-8601 date-time with its zone`);
      const until = new Date(Date.parse(text.value)).toISOString();
      running({ outputs: { until } });
      sleepUntil(d, taskRunId, until, timerIdFor(taskRunId, 'sleep'));
      return;
    }
    case 'Pause':
      return startPause(d, taskRunId, task, context);
    case 'LoopUntil':
    case 'WaitFor':
      // Kestra's WaitFor.outputs: the count starts at 1 and the first iteration sees it.
      return running({ outputs: { iterationCount: 1 } });
    case 'Labels':
      return startLabels(d, taskRunId, task, context);
    case 'StatusMessage':
      return startStatusMessage(d, taskRunId, task, context);
    case 'WaitForExecution':
      return startWaitForExecution(d, taskRunId, task, context);
    case 'Exit':
      return startExit(d, taskRunId, task, context);
    case 'Resume':
      return startResume(d, taskRunId, task, context);
    case 'ForEachItemExecutable':
      return startForEachItems(d, taskRunId, task, context);
    case 'SetVariables':
      return startSetVariables(d, taskRunId, task, context);
    case 'UnsetVariables':
      return startUnsetVariables(d, taskRunId, task, context);
    default:
      return running();
  }
};

const durationOf = (task: TaskDefinition, property: string, raw: JsonValue | undefined, context: ExpressionContext): Rendered<number> => {
  const text = renderText(task.id, property, raw, context);
  if ('error' in text) return text;
  const ms = parseIsoDuration(text.value);
  return ms === undefined ? { error: `task ${task.id}, property "${property}": "${text.value}" is not an ISO-8601 duration` } : { value: ms };
};

/** Pause: RUNNING then PAUSED, the execution PAUSED with it; `pauseDuration`/`delay` resumes, `timeout` fails. */
const startPause = (d: Decision, taskRunId: string, task: TaskDefinition, context: ExpressionContext): void => {
  const p = task.properties;
  const delayRaw = p.pauseDuration ?? p.delay;
  const delay = delayRaw === undefined || delayRaw === null ? undefined : durationOf(task, 'pauseDuration', delayRaw, context);
  if (delay !== undefined && 'error' in delay) {
    d.emit({ type: 'TaskRunStateChanged', data: { taskRunId, state: 'FAILED', error: delay.error, at: d.now } });
    return;
  }
  const timeout = task.timeout === undefined ? undefined : parseIsoDuration(task.timeout);
  d.emit(
    { type: 'TaskRunStateChanged', data: { taskRunId, state: 'RUNNING', at: d.now } },
    { type: 'TaskRunStateChanged', data: { taskRunId, state: 'PAUSED', at: d.now } },
  );
  if (delay !== undefined) {
    d.emit({ type: 'TimerScheduled', data: { timerId: timerIdFor(taskRunId, 'pause'), fireAt: addMs(d.now, delay.value), purpose: 'pause', taskRunId, at: d.now } });
  }
  if (timeout !== undefined) {
    d.emit({ type: 'TimerScheduled', data: { timerId: timerIdFor(taskRunId, 'timeout'), fireAt: addMs(d.now, timeout), purpose: 'timeout', taskRunId, at: d.now } });
  }
  if (d.execution.state === 'RUNNING') d.emit({ type: 'ExecutionStateChanged', data: { state: 'PAUSED', reason: `task ${task.id} paused`, at: d.now } });
};
