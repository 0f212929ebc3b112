import { renderTemplate } from '../expression/template.renderer.js';
import type { FlowDefinition } from '../flow/flow.model.js';
import { resolveInputs } from '../flow/inputs.resolver.js';
import type { JsonObject } from '../shared/json.js';
import { type Decision, taskRunIdFor, timerIdFor } from './decision.js';
import type { AdvanceExecution, CreateExecution } from './execution.commands.js';
import { ConcurrencyKeyError } from './execution.errors.js';
import type { ExecutionCreated, ReplayedTaskRunData } from './execution.events.js';
import { addMs, parseIsoDuration } from './iso-duration.js';
import { ExpressionError } from '../expression/expression.error.js';
import { armMaxDurationSlas } from './sla.control.js';
import { CORRELATION_LABEL } from './correlation-label.js';

/**
 * ExecutionCreated for a new execution: inputs typed and checked, labels merged, concurrency key
 * rendered. Every execution carries `system.correlationId` (Kestra's Execution.newExecution): the
 * one it was given (a Subflow's child inherits its parent's), else the first execution of its
 * chain (a replay or a retry as a new execution keeps the original's), else its own id.
 */
export const created = (command: CreateExecution): ExecutionCreated => {
  const { executionId, flow, trigger, parentId, parent, replayOf, attemptNumber, now } = command;
  const labels = { ...flow.labels, ...command.labels };
  if (labels[CORRELATION_LABEL] === undefined) labels[CORRELATION_LABEL] = command.originalId ?? executionId;
  const inputs = resolveInputs(flow, command.inputs, { scope: { executionId, now, labels } });
  const concurrencyKey = renderConcurrencyKey(flow, executionId, inputs, labels, now);
  return {
    type: 'ExecutionCreated',
    data: {
      executionId,
      namespace: flow.namespace,
      flowId: flow.id,
      flowRevision: flow.revision,
      inputs,
      labels,
      ...(trigger !== undefined ? { trigger } : {}),
      originalId: command.originalId ?? executionId,
      ...(parentId !== undefined || parent !== undefined ? { parentId: parentId ?? parent?.executionId } : {}),
      ...(parent !== undefined ? { parent } : {}),
      ...(attemptNumber !== undefined && attemptNumber > 1 ? { attemptNumber } : {}),
      ...(attemptNumber !== undefined && attemptNumber > 1 && command.originalCreatedDate !== undefined ? { originalCreatedDate: command.originalCreatedDate } : {}),
      ...(concurrencyKey !== undefined ? { concurrencyKey } : {}),
      ...(flow.concurrency !== undefined ? { concurrencyLimit: flow.concurrency.limit } : {}),
      ...(replayOf !== undefined ? { replayOf } : {}),
      at: now,
    },
  };
};

const renderConcurrencyKey = (flow: FlowDefinition, executionId: string, inputs: JsonObject, labels: Record<string, string>, now: string): string | undefined => {
  const key = flow.concurrency?.key;
  if (key === undefined) return undefined;
  const context = {
    inputs, outputs: {}, labels, now,
    execution: { id: executionId, startDate: now, originalId: executionId },
    flow: { id: flow.id, namespace: flow.namespace, revision: flow.revision },
  };
  try {
    return renderTemplate(key, context);
  } catch (error) {
    if (error instanceof ExpressionError) throw new ConcurrencyKeyError(flow.id, key, error.message);
    throw error;
  }
};

/**
 * AdvanceExecution from CREATED or QUEUED. `concurrency.running` (executions of the flow / key
 * running now, counted by the application) at or over the flow's limit means QUEUE -> QUEUED
 * (stays queued on later advances), CANCEL -> CANCELLED, FAIL -> FAILED. Otherwise the execution
 * starts: RUNNING, the flow timeout armed, a replay's reused task runs restored.
 */
export const advance = (d: Decision, command: AdvanceExecution): boolean => {
  const { state } = d.execution;
  if (state !== 'CREATED' && state !== 'QUEUED') return state === 'RUNNING';
  const limit = d.flow.concurrency;
  if (limit !== undefined && command.concurrency !== undefined && command.concurrency.running >= limit.limit) {
    const reason = `flow concurrency limit ${limit.limit} reached`;
    if (limit.behavior === 'QUEUE') {
      if (state === 'CREATED') d.emit({ type: 'ExecutionStateChanged', data: { state: 'QUEUED', reason, at: d.now } });
    } else if (limit.behavior === 'CANCEL') {
      d.emit({ type: 'ExecutionStateChanged', data: { state: 'CANCELLED', reason, at: d.now } });
    } else if (state === 'CREATED') {
      d.emit({ type: 'ExecutionFailed', data: { error: reason, at: d.now } });
    }
    return false;
  }
  d.emit({ type: 'ExecutionStarted', data: { at: d.now } });
  armFlowTimeout(d);
  armMaxDurationSlas(d);
  return true;
};

/**
 * The flow's `timeout` (max runtime) counts from now: at start, and again at each restart (a
 * restarted execution gets its full runtime back; `run` names the timer of that run).
 */
export const armFlowTimeout = (d: Decision, run?: number): void => {
  const timeout = d.flow.timeout === undefined ? undefined : parseIsoDuration(d.flow.timeout);
  if (timeout === undefined) return;
  const timerId = timerIdFor(d.execution.id, 'timeout', run);
  d.emit({ type: 'TimerScheduled', data: { timerId, fireAt: addMs(d.now, timeout), purpose: 'timeout', at: d.now } });
};

/**
 * A replay restores the reused task runs as they ended (SUCCESS / WARNING with their outputs)
 * before anything runs, parents first, so the walk goes on from the replayed task.
 */
export const restoreReplayed = (d: Decision, reused: readonly ReplayedTaskRunData[]): void => {
  const newIdByOld = new Map<string, string>();
  const newIdByTask = new Map<string, string>();
  for (const old of reused) {
    const taskRunId = taskRunIdFor(d.execution.id, d.execution.taskRuns.length);
    const parentTaskRunId = (old.parentTaskRunId !== undefined ? newIdByOld.get(old.parentTaskRunId) : undefined)
      ?? (old.parentTaskId !== undefined ? newIdByTask.get(old.parentTaskId) : undefined);
    // A task run whose parent runs again (an ancestor of the replayed task) runs again with it.
    if (parentTaskRunId === undefined && (old.parentTaskRunId !== undefined || old.parentTaskId !== undefined)) continue;
    if (old.id !== undefined) newIdByOld.set(old.id, taskRunId);
    newIdByTask.set(old.taskId, taskRunId);
    d.emit(
      { type: 'TaskRunCreated', data: { taskRunId, taskId: old.taskId, ...(parentTaskRunId !== undefined ? { parentTaskRunId } : {}), ...(old.value !== undefined ? { value: old.value } : {}), at: d.now } },
      { type: 'TaskRunStateChanged', data: { taskRunId, state: 'RUNNING', at: d.now } },
      { type: 'TaskRunStateChanged', data: { taskRunId, state: old.state, ...(old.outputs !== undefined ? { outputs: old.outputs } : {}), at: d.now } },
    );
  }
};

