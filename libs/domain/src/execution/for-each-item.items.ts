import type { ExpressionContext } from '../expression/expression-context.js';
import { renderValue } from '../expression/template.renderer.js';
import { FOR_EACH_ITEM_SUFFIXES } from '../flow/for-each-item.types.js';
import type { TaskDefinition } from '../flow/flow.model.js';
import type { JsonObject, JsonValue } from '../shared/json.js';
import type { ChildExecutionEnded } from './execution.commands.js';
import type { Decision } from './decision.js';
import type { TaskRun } from './execution.state.js';
import { attempt, textOf } from './rendering.js';
import { CORRELATION_LABEL, labelsOf } from './subflow.start.js';
import { taskOf } from './task-tree.js';

/**
 * ForEachItem's `<id>_items` task run (Kestra's ForEachItemExecutable): one subflow execution per
 * batch the `_split` task wrote. Its outputs are Kestra's: `numberOfBatches` and `iterations`, a
 * count of subflow executions per state, updated as each one ends. With `wait` (default) it ends
 * when all have ended, FAILED when `transmitFailed` (default) and one failed or was killed;
 * without `wait` it ends SUCCESS once they are requested. No batches: SUCCESS, no outputs.
 */
const TRIGGER_TYPE = 'io.kestra.plugin.core.flow.ForEachItem';
const FAILED_STATES = ['FAILED', 'KILLED', 'CANCELLED', 'RETRIED'];

const isObject = (v: JsonValue | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

export const itemsChildIdFor = (taskRunId: string, iteration: number): string => `${taskRunId}.items.${iteration}`;

/** The batch URIs the sibling `_split` task run reported (`outputs.uris`). */
const batchesOf = (d: Decision, run: TaskRun, task: TaskDefinition): string[] | undefined => {
  const splitId = task.id.slice(0, -FOR_EACH_ITEM_SUFFIXES.items.length) + FOR_EACH_ITEM_SUFFIXES.split;
  const split = d.execution.taskRuns.findLast((t) => t.taskId === splitId && t.parentTaskRunId === run.parentTaskRunId);
  const uris = split?.outputs?.uris;
  return Array.isArray(uris) && uris.every((u) => typeof u === 'string') ? (uris as string[]) : undefined;
};

const counts = (total: number, ended: readonly { state: string }[], running = 0): JsonObject => {
  const byState: Record<string, number> = { CREATED: total - ended.length - running, RUNNING: running, SUCCESS: 0 };
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
  const p = task.properties;
  const requests = [];
  for (const [index, items] of batches.entries()) {
    const iteration = index + 1;
    // Kestra's special variables for the subflow's inputs: `taskrun.items` and `taskrun.iteration`.
    const scope = { ...context, taskrun: { ...(context.taskrun as JsonObject), items, iteration } } as ExpressionContext;
    const rendered = attempt(`task ${task.id}`, () => ({
      namespace: textOf(renderValue(p.namespace ?? '', scope)),
      flowId: textOf(renderValue(p.flowId ?? '', scope)),
      inputs: renderValue(p.inputs ?? {}, scope),
      labels: labelsOf(renderValue(p.labels ?? {}, scope)),
    }));
    if ('error' in rendered) return fail(rendered.error);
    requests.push({ iteration, ...rendered.value });
  }
  const execution = d.execution;
  const inherited = p.inheritLabels === true ? execution.labels : Object.fromEntries(Object.entries(execution.labels).filter(([k]) => k.startsWith('system.')));
  const wait = p.wait !== false;
  d.emit({ type: 'TaskRunStateChanged', data: { taskRunId, state: 'RUNNING', outputs: { numberOfBatches: batches.length, iterations: counts(batches.length, []) }, at: d.now } });
  for (const r of requests) {
    d.emit({
      type: 'ChildExecutionRequested',
      data: {
        childExecutionId: itemsChildIdFor(taskRunId, r.iteration),
        taskRunId,
        attempt: 1,
        namespace: r.namespace,
        flowId: r.flowId,
        ...(typeof p.revision === 'number' ? { flowRevision: p.revision } : {}),
        inputs: isObject(r.inputs) ? r.inputs : {},
        labels: { ...inherited, [CORRELATION_LABEL]: execution.labels[CORRELATION_LABEL] ?? execution.id, ...r.labels },
        trigger: {
          type: TRIGGER_TYPE,
          variables: { executionId: execution.id, namespace: execution.namespace, flowId: execution.flowId, flowRevision: execution.flowRevision },
        },
        wait,
        transmitFailed: p.transmitFailed !== false,
        at: d.now,
      },
    });
  }
  if (!wait) d.emit({ type: 'TaskRunStateChanged', data: { taskRunId, state: 'SUCCESS', at: d.now } });
};

/** One subflow execution of a `_items` task run ended: counted once; the last one ends the task run. */
export const forEachItemChildEnded = (d: Decision, command: ChildExecutionEnded): boolean => {
  const run = d.execution.taskRuns.find((t) => t.id === command.taskRunId);
  const task = run === undefined ? undefined : taskOf(d.flow, run.taskId);
  if (run === undefined || task?.type !== 'ForEachItemExecutable' || run.state !== 'RUNNING') return false;
  const iteration = Number(command.childExecutionId.slice(`${run.id}.items.`.length));
  const total = typeof run.outputs?.numberOfBatches === 'number' ? run.outputs.numberOfBatches : 0;
  if (!command.childExecutionId.startsWith(`${run.id}.items.`) || !Number.isInteger(iteration) || iteration < 1 || iteration > total) return false;
  if ((run.endedChildren ?? []).some((c) => c.childExecutionId === command.childExecutionId)) return false;
  const ended = { childExecutionId: command.childExecutionId, iteration, state: command.state, ...(command.outputs !== undefined ? { outputs: command.outputs } : {}) };
  const all = [...(run.endedChildren ?? []), ended];
  const outputs = { ...run.outputs, iterations: counts(total, all) };
  d.emit({ type: 'TaskRunProgressed', data: { taskRunId: run.id, outputs, ended, at: d.now } });
  if (all.length < total) return true;
  const failed = all.filter((c) => FAILED_STATES.includes(c.state));
  if (task.properties.transmitFailed !== false && failed.length > 0) {
    d.emit({ type: 'TaskRunStateChanged', data: { taskRunId: run.id, state: 'FAILED', error: `task ${task.id}: ${failed.length} of ${total} subflow executions failed (first: ${failed[0]!.childExecutionId} ended ${failed[0]!.state})`, at: d.now } });
  } else {
    d.emit({ type: 'TaskRunStateChanged', data: { taskRunId: run.id, state: 'SUCCESS', at: d.now } });
  }
  return true;
};

/** What `_merge` gathers: each subflow's flow outputs, in batch order (those that have some). */
export const subflowOutputsFor = (d: Decision, mergeTask: TaskDefinition, parentTaskRunId: string | undefined): JsonObject[] => {
  const itemsId = mergeTask.id.slice(0, -FOR_EACH_ITEM_SUFFIXES.merge.length) + FOR_EACH_ITEM_SUFFIXES.items;
  const items = d.execution.taskRuns.findLast((t) => t.taskId === itemsId && t.parentTaskRunId === parentTaskRunId);
  return [...(items?.endedChildren ?? [])].sort((a, b) => a.iteration - b.iteration).flatMap((c) => (c.outputs !== undefined && Object.keys(c.outputs).length > 0 ? [c.outputs] : []));
};
