import type { ExpressionContext } from '../expression/expression-context.js';
import { ExpressionError } from '../expression/expression.error.js';
import { renderValue } from '../expression/template.renderer.js';
import type { FlowDefinition, TaskDefinition } from '../flow/flow.model.js';
import { findTaskType } from '../flow/task-types.js';
import type { JsonObject, JsonValue } from '../shared/json.js';
import type { ExecutionEvent } from './execution.events.js';
import type { Execution } from './execution.state.js';
import type { TaskJob } from './task-job.js';

/**
 * Task run ids are a pure function of the execution and the creation order, so a redelivered
 * command regenerates exactly the same events (and the same job for the worker).
 */
export const taskRunIdFor = (executionId: string, index: number): string => `${executionId}.${index}`;

/** The variables expressions see while this execution runs. */
export const expressionContextOf = (execution: Execution, taskRunId?: string): ExpressionContext => ({
  inputs: execution.inputs,
  outputs: Object.fromEntries(
    execution.taskRuns.flatMap((t) => (t.state === 'SUCCESS' && t.outputs !== undefined ? [[t.taskId, t.outputs]] : [])),
  ),
  execution: { id: execution.id, startDate: execution.startDate, originalId: execution.originalId },
  flow: { id: execution.flowId, namespace: execution.namespace, revision: execution.flowRevision },
  ...(taskRunId !== undefined ? { taskrun: { id: taskRunId } } : {}),
  labels: execution.labels,
  ...(execution.trigger !== undefined ? { trigger: execution.trigger } : {}),
});

/**
 * What follows once nothing is running: the next task of the flow (v0 runs `tasks` in order),
 * or the end of the execution. Empty while a task run is still in progress.
 */
export const nextEvents = (execution: Execution, flow: FlowDefinition, now: string): ExecutionEvent[] => {
  if (execution.state !== 'RUNNING') return [];
  // Sequential: a task run still in progress, or one that did not succeed, stops the line.
  if (execution.taskRuns.some((t) => t.state !== 'SUCCESS')) return [];
  const index = execution.taskRuns.length;
  const task = flow.tasks[index];
  if (task === undefined) return [{ type: 'ExecutionSucceeded', data: { at: now } }];
  return createTaskRun(execution, task, taskRunIdFor(execution.id, index), now);
};

const createTaskRun = (execution: Execution, task: TaskDefinition, taskRunId: string, now: string): ExecutionEvent[] => {
  const base = { taskRunId, taskId: task.id, at: now };
  if ((findTaskType(task.type)?.kind ?? 'runnable') !== 'runnable') return [{ type: 'TaskRunCreated', data: base }];
  const rendered = renderProperties(task, expressionContextOf(execution, taskRunId));
  if ('error' in rendered) {
    return [
      { type: 'TaskRunCreated', data: base },
      // Rendering is the first attempt's work: it fails as attempt 1, straight from CREATED.
      { type: 'TaskRunFailed', data: { taskRunId, attempt: 1, error: rendered.error, at: now } },
      { type: 'ExecutionFailed', data: { error: `task ${task.id} failed: ${rendered.error}`, at: now } },
    ];
  }
  const job: TaskJob = { executionId: execution.id, taskRunId, taskId: task.id, attempt: 1, type: task.type, properties: rendered.properties };
  return [{ type: 'TaskRunCreated', data: { ...base, job } }];
};

/** Renders property by property so that a failure can say which property of which task. */
const renderProperties = (task: TaskDefinition, context: ExpressionContext): { properties: JsonObject } | { error: string } => {
  const entries: [string, JsonValue][] = [];
  for (const [key, value] of Object.entries(task.properties)) {
    try {
      entries.push([key, renderValue(value, context)]);
    } catch (error) {
      if (error instanceof ExpressionError) return { error: `task ${task.id}, property "${key}": ${error.message}` };
      throw error;
    }
  }
  // fromEntries defines own properties, so a key such as `__proto__` stays plain data.
  return { properties: Object.fromEntries(entries) };
};
