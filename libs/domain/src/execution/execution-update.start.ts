import type { ExpressionContext } from '../expression/expression-context.js';
import { renderTemplate, renderValue } from '../expression/template.renderer.js';
import { EXIT_STATES, type ExitState } from '../task-types/execution.task-types.js';
import type { TaskDefinition } from '../flow/flow.model.js';
import type { JsonObject, JsonValue } from '../shared/json.js';
import type { Decision } from './decision.js';
import { endExecution } from './execution.end.js';
import { kill } from './kill.control.js';
import { isTerminal } from './state.js';
import { MAX_MESSAGE_LENGTH } from './run-options.js';
import { ancestorsOf, taskOf } from './task-tree.js';
import type { ResumeAnswered } from './execution.commands.js';
import { attempt, renderProperties, type Rendered, textOf } from './rendering.js';

/** Kestra reserves labels under this prefix for itself (`Labels.java`: none may be set at run time). */
const SYSTEM_PREFIX = 'system.';

/**
 * `io.kestra.plugin.core.execution.Labels` (Kestra's Labels.java; example flow
 * core/src/test/resources/flows/valids/labels-update-task.yml): renders `labels` (a map, a list
 * of `{ key, value }`, or an expression giving a JSON map), merges them over the execution's
 * labels and ends SUCCESS. Keys are rendered too. A system label fails the task.
 */
export const startLabels = (d: Decision, taskRunId: string, task: TaskDefinition, context: ExpressionContext): void => {
  const labels = renderLabels(task, context);
  if ('error' in labels) return fail(d, taskRunId, labels.error);
  const system = Object.keys(labels.value).find((k) => k.startsWith(SYSTEM_PREFIX));
  if (system !== undefined) return fail(d, taskRunId, `task ${task.id}: system labels can only be set by Chronicle itself, offending label: ${system}=${labels.value[system]}`);
  d.emit(
    { type: 'TaskRunStateChanged', data: { taskRunId, state: 'RUNNING', at: d.now } },
    { type: 'ExecutionLabelsChanged', data: { labels: { ...d.execution.labels, ...labels.value }, taskRunId, at: d.now } },
    { type: 'TaskRunStateChanged', data: { taskRunId, state: 'SUCCESS', at: d.now } },
  );
};

/** `StatusMessage`: renders `message` and makes it the execution's status message (ExecutionUpdated). */
export const startStatusMessage = (d: Decision, taskRunId: string, task: TaskDefinition, context: ExpressionContext): void => {
  const rendered = attempt(`task ${task.id}, property "message"`, () => renderTemplate(String(task.properties.message ?? ''), context));
  if ('error' in rendered) return fail(d, taskRunId, rendered.error);
  if (rendered.value.length > MAX_MESSAGE_LENGTH) return fail(d, taskRunId, `task ${task.id}: the message must be at most ${MAX_MESSAGE_LENGTH} characters, got ${rendered.value.length}`);
  d.emit(
    { type: 'TaskRunStateChanged', data: { taskRunId, state: 'RUNNING', at: d.now } },
    { type: 'ExecutionUpdated', data: { message: rendered.value, taskRunId, at: d.now } },
    { type: 'TaskRunStateChanged', data: { taskRunId, state: 'SUCCESS', outputs: { message: rendered.value }, at: d.now } },
  );
};

const renderLabels = (task: TaskDefinition, context: ExpressionContext): Rendered<Record<string, string>> => {
  const raw = task.properties.labels ?? null;
  const rendered = attempt(`task ${task.id}, property "labels"`, (): JsonValue | [string, string][] => {
    const text = (v: JsonValue): string => textOf(renderValue(v, context));
    if (Array.isArray(raw)) return raw.map((item) => [renderTemplate(String((item as { key: string }).key), context), text((item as { value: JsonValue }).value ?? null)]);
    if (typeof raw === 'object' && raw !== null) return Object.entries(raw).map(([k, v]) => [renderTemplate(k, context), text(v ?? null)]);
    return renderValue(raw, context);
  });
  if ('error' in rendered) return rendered;
  if (typeof raw !== 'string') return { value: Object.fromEntries(rendered.value as [string, string][]) };
  const parsed = typeof rendered.value === 'string' ? parseJson(rendered.value) : rendered.value;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { error: `task ${task.id}, property "labels": the expression must give a JSON map of labels, got ${textOf(rendered.value as JsonValue)}` };
  }
  return { value: Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, textOf(v ?? null)])) };
};

const parseJson = (text: string): JsonValue | undefined => {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
};

/**
 * `io.kestra.plugin.core.execution.Exit`: ends the execution now in `state` (SUCCESS by
 * default). KILLED kills it (running tasks are told to stop); the other states end it at once,
 * with the task run and its parents in that state (Kestra's Exit.update), without its `errors`
 * or `finally` tasks, and leave tasks still running elsewhere (a parallel branch) as they are.
 */
export const startExit = (d: Decision, taskRunId: string, task: TaskDefinition, context: ExpressionContext): void => {
  const rendered = attempt(`task ${task.id}, property "state"`, () => textOf(renderValue(task.properties.state ?? 'SUCCESS', context)));
  if ('error' in rendered) return fail(d, taskRunId, rendered.error);
  const state = rendered.value.toUpperCase();
  if (!(EXIT_STATES as readonly string[]).includes(state)) return fail(d, taskRunId, `task ${task.id}, property "state": "${rendered.value}" is not one of ${EXIT_STATES.join(', ')}`);
  const exit = state as ExitState;
  d.emit({ type: 'TaskRunStateChanged', data: { taskRunId, state: 'RUNNING', at: d.now } });
  if (exit === 'KILLED') return kill(d, `task ${task.id} exited the execution with state KILLED`);
  // Kestra's Exit.update: the task run and every parent of it end in the exit state (CANCELED: CANCELLED).
  const runState = exit === 'CANCELED' ? 'CANCELLED' : exit;
  const error = exit === 'FAILED' ? { error: `task ${task.id} exited the execution with state FAILED` } : {};
  for (const run of [d.taskRun(taskRunId), ...ancestorsOf(d.execution, d.taskRun(taskRunId))]) {
    if (!isTerminal(run.state)) d.emit({ type: 'TaskRunStateChanged', data: { taskRunId: run.id, state: runState, ...error, at: d.now } });
  }
  if (exit === 'CANCELED') {
    for (const timer of d.execution.timers) d.emit({ type: 'TimerCancelled', data: { timerId: timer.timerId, at: d.now } });
    d.emit({ type: 'ExecutionStateChanged', data: { state: 'CANCELLED', reason: `task ${task.id} exited the execution with state CANCELED`, at: d.now } });
    return;
  }
  endExecution(d, exit, `task ${task.id} exited the execution with state FAILED`);
};

/**
 * `io.kestra.plugin.core.execution.Resume` (Kestra's Resume.java; test flow
 * core/src/test/resources/flows/valids/resume-execution.yaml): asks the execution `executionId`
 * (this one by default) to resume, with `inputs` for its `onResume`, and waits RUNNING. The
 * request is an event; the relay delivers it as a ResumeExecution command to that execution,
 * whose decider resumes it if it is PAUSED and answers either way (see resumeAnswered). `namespace`/`flowId`
 * only make the target explicit. Unlike Kestra's open-source edition, the target resumes only for a
 * flow of its own namespace or a parent one (as WaitForExecution watches): a flow that learnt another
 * namespace's execution id (a Flow trigger's `trigger.executionId`) must not approve its pauses.
 */
export const startResume = (d: Decision, taskRunId: string, task: TaskDefinition, context: ExpressionContext): void => {
  const { executionId, namespace, flowId, inputs } = task.properties;
  const rendered = renderProperties(d.taskTypes, task.id, {
    executionId: executionId ?? d.execution.id,
    ...(namespace !== undefined ? { namespace } : {}),
    ...(flowId !== undefined ? { flowId } : {}),
    ...(inputs !== undefined ? { inputs } : {}),
  }, context);
  if ('error' in rendered) return fail(d, taskRunId, rendered.error);
  const r = rendered.value;
  const target = textOf(r.executionId ?? null);
  if (target === '' || target === 'null') return fail(d, taskRunId, `task ${task.id}, property "executionId": rendered to an empty execution id`);
  d.emit(
    { type: 'TaskRunStateChanged', data: { taskRunId, state: 'RUNNING', at: d.now } },
    {
      type: 'ExecutionResumeRequested',
      data: {
        taskRunId,
        targetExecutionId: target,
        ...(r.namespace !== undefined ? { namespace: textOf(r.namespace) } : {}),
        ...(r.flowId !== undefined ? { flowId: textOf(r.flowId) } : {}),
        ...(r.inputs !== undefined ? { inputs: r.inputs as JsonObject } : {}),
        requesterNamespace: d.execution.namespace,
        at: d.now,
      },
    },
  );
};

/**
 * The target of a `Resume` task answered (ResumeAnswered): the task run, still RUNNING, ends
 * SUCCESS when it was PAUSED and resumed, else FAILED (Kestra's ExecutionService.resume throws
 * "The execution is not paused"). The decision never waits for the target: it answers later.
 */
export const resumeAnswered = (d: Decision, command: ResumeAnswered): boolean => {
  const run = d.execution.taskRuns.find((t) => t.id === command.taskRunId);
  if (run === undefined || run.state !== 'RUNNING' || taskOf(d.flow, run.taskId)?.type !== 'Resume') return false;
  if (command.resumed) d.emit({ type: 'TaskRunStateChanged', data: { taskRunId: run.id, state: 'SUCCESS', at: d.now } });
  else fail(d, run.id, `task ${run.taskId}: ${command.error ?? `execution ${command.targetExecutionId} is not paused`}`);
  return true;
};

const fail = (d: Decision, taskRunId: string, error: string): void => {
  d.emit({ type: 'TaskRunStateChanged', data: { taskRunId, state: 'FAILED', error, at: d.now } });
};
