import type { ExpressionContext } from '../expression/expression-context.js';
import { renderValue } from '../expression/template.renderer.js';
import { FOR_EACH_ITEM_SUFFIXES } from '../task-types/for-each-item.task-types.js';
import type { TaskDefinition } from '../flow/flow.model.js';
import type { JsonObject, JsonValue } from '../shared/json.js';
import type { ChildExecutionEnded } from './execution.commands.js';
import type { Decision } from './decision.js';
import { expressionContextOf } from './expression-scope.js';
import type { TaskRun } from './execution.state.js';
import { attempt, textOf } from './rendering.js';
import { CORRELATION_LABEL, labelsOf } from './subflow.start.js';
import { taskOf } from './task-tree.js';

/**
 * ForEachItem's `<id>_items` task run (Kestra's ForEachItemExecutable): one subflow execution per
 * batch the `_split` task wrote, all in one attempt, as in Kestra. Its outputs are Kestra's:
 * `numberOfBatches` and `iterations`, a count of subflow executions per state, updated as each
 * ends (TaskRunProgressed). With `wait` (default) the attempt ends when all have ended, FAILED
 * when `transmitFailed` (default) and one failed or was killed; without `wait` it succeeds once
 * they are requested, counted SUCCESS. No batches: SUCCESS without outputs. A restart runs the
 * batches whose subflow failed again, in a new attempt.
 */
const TRIGGER_TYPE = 'io.kestra.plugin.core.flow.ForEachItem';
const FAILED_STATES = ['FAILED', 'KILLED', 'CANCELLED', 'RETRIED'];

const isObject = (v: JsonValue | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The subflow execution of batch `iteration` in attempt `number` (the first attempt's ids carry no number). */
export const itemsChildIdFor = (taskRunId: string, iteration: number, number = 1): string =>
  number === 1 ? `${taskRunId}.items.${iteration}` : `${taskRunId}.items.${iteration}.${number}`;

/** The batch URIs the sibling `_split` task run reported (`outputs.uris`). */
const batchesOf = (d: Decision, run: TaskRun, task: TaskDefinition): string[] | undefined => {
  const splitId = task.id.slice(0, -FOR_EACH_ITEM_SUFFIXES.items.length) + FOR_EACH_ITEM_SUFFIXES.split;
  const split = d.execution.taskRuns.findLast((t) => t.taskId === splitId && t.parentTaskRunId === run.parentTaskRunId);
  const uris = split?.outputs?.uris;
  return Array.isArray(uris) && uris.every((u) => typeof u === 'string') ? (uris as string[]) : undefined;
};

const counts = (total: number, ended: readonly { state: string }[]): JsonObject => {
  const byState: Record<string, number> = { CREATED: total - ended.length, RUNNING: 0, SUCCESS: 0 };
  for (const e of ended) byState[e.state] = (byState[e.state] ?? 0) + 1;
  return byState;
};

export const startForEachItems = (d: Decision, taskRunId: string, task: TaskDefinition, context: ExpressionContext): void => {
  const run = d.taskRun(taskRunId);
  const fail = (error: string): void => d.emit({ type: 'TaskRunStateChanged', data: { taskRunId, state: 'FAILED', error, at: d.now } });
  const batches = batchesOf(d, run, task);
  if (batches === undefined) return fail(`task ${task.id}: the batches of the split task are missing`);
  if (batches.length === 0) {
    d.emit({ type: 'TaskRunStateChanged', data: { taskRunId, state: 'RUNNING', at: d.now } }, { type: 'TaskRunStateChanged', data: { taskRunId, state: 'SUCCESS', at: d.now } });
    return;
  }
  const requests = requestsFor(task, batches.map((items, index) => ({ items, iteration: index + 1 })), context);
  if ('error' in requests) return fail(requests.error);
  const wait = task.properties.wait !== false;
  d.emit({ type: 'TaskRunStarted', data: { taskRunId, attempt: 1, at: d.now } });
  if (!wait) {
    // Kestra counts subflows it does not wait for as SUCCESS once created.
    requestChildren(d, taskRunId, task, requests.value, 1);
    d.emit({ type: 'TaskRunSucceeded', data: { taskRunId, attempt: 1, outputs: { numberOfBatches: batches.length, iterations: { RUNNING: 0, SUCCESS: batches.length } }, at: d.now } });
    return;
  }
  d.emit({ type: 'TaskRunProgressed', data: { taskRunId, outputs: { numberOfBatches: batches.length, iterations: counts(batches.length, []) }, at: d.now } });
  requestChildren(d, taskRunId, task, requests.value, 1);
};

interface ChildRequest {
  readonly iteration: number;
  readonly items: string;
  readonly namespace: string;
  readonly flowId: string;
  readonly inputs: JsonValue;
  readonly labels: Record<string, string>;
}

/** Each batch's subflow request, rendered with Kestra's `taskrun.items` and `taskrun.iteration`. */
const requestsFor = (task: TaskDefinition, batches: readonly { items: string; iteration: number }[], context: ExpressionContext): { value: ChildRequest[] } | { error: string } => {
  const p = task.properties;
  const value: ChildRequest[] = [];
  for (const { items, iteration } of batches) {
    const scope = { ...context, taskrun: { ...(context.taskrun as JsonObject), items, iteration } } as ExpressionContext;
    const rendered = attempt(`task ${task.id}`, () => ({
      namespace: textOf(renderValue(p.namespace ?? '', scope)),
      flowId: textOf(renderValue(p.flowId ?? '', scope)),
      inputs: renderValue(p.inputs ?? {}, scope),
      labels: labelsOf(renderValue(p.labels ?? {}, scope)),
    }));
    if ('error' in rendered) return rendered;
    value.push({ iteration, items, ...rendered.value });
  }
  return { value };
};

const requestChildren = (d: Decision, taskRunId: string, task: TaskDefinition, requests: readonly ChildRequest[], number: number): void => {
  const p = task.properties;
  const execution = d.execution;
  const inherited = p.inheritLabels === true ? execution.labels : Object.fromEntries(Object.entries(execution.labels).filter(([k]) => k.startsWith('system.')));
  for (const r of requests) {
    d.emit({
      type: 'ChildExecutionRequested',
      data: {
        childExecutionId: itemsChildIdFor(taskRunId, r.iteration, number),
        taskRunId,
        attempt: number,
        namespace: r.namespace,
        flowId: r.flowId,
        ...(typeof p.revision === 'number' ? { flowRevision: p.revision } : {}),
        inputs: isObject(r.inputs) ? r.inputs : {},
        labels: { ...inherited, [CORRELATION_LABEL]: execution.labels[CORRELATION_LABEL] ?? execution.id, ...r.labels },
        trigger: {
          type: TRIGGER_TYPE,
          variables: { executionId: execution.id, namespace: execution.namespace, flowId: execution.flowId, flowRevision: execution.flowRevision, ...(execution.options?.mode !== undefined ? { mode: execution.options.mode } : {}) },
        },
        wait: p.wait !== false,
        transmitFailed: p.transmitFailed !== false,
        at: d.now,
      },
    });
  }
};

/** The batch a child id names in the current attempt, if it is one this task run waits for. */
const iterationOf = (run: TaskRun, childExecutionId: string, total: number): number | undefined => {
  const prefix = `${run.id}.items.`;
  if (!childExecutionId.startsWith(prefix)) return undefined;
  const iteration = Number(childExecutionId.slice(prefix.length).split('.')[0]);
  if (!Number.isInteger(iteration) || iteration < 1 || iteration > total) return undefined;
  return childExecutionId === itemsChildIdFor(run.id, iteration, Math.max(1, run.attempts.length)) ? iteration : undefined;
};

/** One subflow execution of a `_items` task run ended: counted once; the last one ends the attempt. */
export const forEachItemChildEnded = (d: Decision, command: ChildExecutionEnded): boolean => {
  const run = d.execution.taskRuns.find((t) => t.id === command.taskRunId);
  const task = run === undefined ? undefined : taskOf(d.flow, run.taskId);
  if (run === undefined || task?.type !== 'ForEachItemExecutable' || run.state !== 'RUNNING') return false;
  const total = typeof run.outputs?.numberOfBatches === 'number' ? run.outputs.numberOfBatches : 0;
  const iteration = iterationOf(run, command.childExecutionId, total);
  if (iteration === undefined || (run.endedChildren ?? []).some((c) => c.iteration === iteration)) return false;
  const ended = { childExecutionId: command.childExecutionId, iteration, state: command.state, ...(command.outputs !== undefined ? { outputs: command.outputs } : {}) };
  const all = [...(run.endedChildren ?? []), ended];
  const outputs = { ...run.outputs, iterations: counts(total, all) };
  d.emit({ type: 'TaskRunProgressed', data: { taskRunId: run.id, outputs, ended, at: d.now } });
  if (all.length < total) return true;
  const number = Math.max(1, run.attempts.length);
  const failed = all.filter((c) => FAILED_STATES.includes(c.state));
  if (task.properties.transmitFailed !== false && failed.length > 0) {
    const error = `task ${task.id}: ${failed.length} of ${total} subflow executions failed (first: ${failed[0]!.childExecutionId} ended ${failed[0]!.state})`;
    d.emit({ type: 'TaskRunFailed', data: { taskRunId: run.id, attempt: number, error, outputs, at: d.now } });
  } else {
    d.emit({ type: 'TaskRunSucceeded', data: { taskRunId: run.id, attempt: number, outputs, at: d.now } });
  }
  return true;
};

/** RestartExecution reached a failed `_items` task run: a new attempt runs the batches whose subflow failed. */
export const restartForEachItems = (d: Decision, run: TaskRun, task: TaskDefinition): void => {
  const number = run.attempts.length + 1;
  const failed = (run.endedChildren ?? []).filter((c) => FAILED_STATES.includes(c.state));
  const batches = batchesOf(d, run, task) ?? [];
  const context = expressionContextOf(d.execution, {
    flow: d.flow,
    now: d.now,
    installation: d.installation,
    taskRun: { id: run.id, taskId: task.id, taskType: task.typeName, ...(run.parentTaskRunId !== undefined ? { parentTaskRunId: run.parentTaskRunId } : {}), attemptsCount: run.attempts.length },
  });
  const requests = requestsFor(task, failed.flatMap((c) => (batches[c.iteration - 1] !== undefined ? [{ items: batches[c.iteration - 1]!, iteration: c.iteration }] : [])), context);
  d.emit({ type: 'TaskRunStarted', data: { taskRunId: run.id, attempt: number, at: d.now } });
  if ('error' in requests || requests.value.length === 0) {
    d.emit({ type: 'TaskRunFailed', data: { taskRunId: run.id, attempt: number, error: 'error' in requests ? requests.error : `task ${task.id}: nothing to run again`, at: d.now } });
    return;
  }
  const retried = new Set(requests.value.map((r) => r.iteration));
  const kept = (run.endedChildren ?? []).filter((c) => !retried.has(c.iteration));
  const total = typeof run.outputs?.numberOfBatches === 'number' ? run.outputs.numberOfBatches : batches.length;
  d.emit({ type: 'TaskRunProgressed', data: { taskRunId: run.id, outputs: { ...run.outputs, iterations: counts(total, kept) }, reopened: [...retried], at: d.now } });
  requestChildren(d, run.id, task, requests.value, number);
};

/** What `_merge` gathers: each subflow's flow outputs, in batch order (those that have some). */
export const subflowOutputsFor = (d: Decision, mergeTask: TaskDefinition, parentTaskRunId: string | undefined): JsonObject[] => {
  const itemsId = mergeTask.id.slice(0, -FOR_EACH_ITEM_SUFFIXES.merge.length) + FOR_EACH_ITEM_SUFFIXES.items;
  const items = d.execution.taskRuns.findLast((t) => t.taskId === itemsId && t.parentTaskRunId === parentTaskRunId);
  return [...(items?.endedChildren ?? [])].sort((a, b) => a.iteration - b.iteration).flatMap((c) => (c.outputs !== undefined && Object.keys(c.outputs).length > 0 ? [c.outputs] : []));
};
