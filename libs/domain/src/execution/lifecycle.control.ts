import { renderTemplate } from '../expression/template.renderer.js';
import type { FlowDefinition } from '../flow/flow.model.js';
import { resolveInputs } from '../flow/inputs.resolver.js';
import type { JsonObject } from '../shared/json.js';
import { type Decision, taskRunIdFor, timerIdFor } from './decision.js';
import type { AdvanceExecution, CreateExecution } from './execution.commands.js';
import { ConcurrencyKeyError } from './execution.errors.js';
import type { ExecutionCreated, ReplayedTaskRunData, TimerScheduled } from './execution.events.js';
import type { Execution } from './execution.state.js';
import { checkRunOptions, RunOptionError, scheduledStartTimerId, type ExecutionOptions, type StartedBy } from './run-options.js';
import { addMs, parseIsoDuration } from './iso-duration.js';
import { ExpressionError } from '../expression/expression.error.js';
import { armMaxDurationSlas } from './sla.control.js';
import { CORRELATION_LABEL } from './correlation-label.js';
import { awaitsExecutionLocks, renderExecutionLocks } from './locks/named-locks.control.js';
import { checkBreakpointsExist } from './breakpoints/breakpoint-targets.js';

/**
 * ExecutionCreated for a new execution: inputs typed and checked, labels merged, concurrency key
 * rendered. Every execution carries `system.correlationId` (Kestra's Execution.newExecution): the
 * one it was given (a Subflow's child inherits its parent's), else the first execution of its
 * chain (a replay or a retry as a new execution keeps the original's), else its own id.
 */
export const created = (command: CreateExecution): ExecutionCreated => {
  const { executionId, flow, trigger, parentId, parent, replayOf, attemptNumber, now } = command;
  // Options first: a bad one refuses the start before anything else is worked out.
  const options = withStartedBy(checkRunOptions(command.options, now), command);
  if (command.draft === true && options?.mode !== 'DEVELOPMENT') throw new RunOptionError('mode', 'must be DEVELOPMENT to run a draft source');
  const labels = { ...flow.labels, ...command.labels };
  if (labels[CORRELATION_LABEL] === undefined) labels[CORRELATION_LABEL] = command.originalId ?? executionId;
  checkBreakpointsExist(options, flow);
  const inputs = resolveInputs(flow, command.inputs, { scope: { executionId, now, labels }, ...(command.inputsAsGiven === true ? { typed: false } : {}) });
  const locks = renderExecutionLocks(flow, { executionId, inputs, labels, now });
  const rendered = renderConcurrencyKey(flow, executionId, inputs, labels, now);
  // Development runs have their own slots: a test never takes a productive run's place.
  const concurrencyKey = options?.mode === 'DEVELOPMENT' && flow.concurrency !== undefined ? `development:${rendered ?? ''}` : rendered;
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
      ...(options !== undefined ? { options } : {}),
      ...(command.draft === true ? { draftFlow: flow } : {}),
      ...(locks !== undefined ? { locks } : {}),
      ...(flow.savepointRetention !== undefined ? { savepointRetention: flow.savepointRetention } : {}),
      ...(command.wrapped !== undefined ? { wrapped: command.wrapped } : {}),
      at: now,
    },
  };
};

/**
 * Who started it, when the caller did not say: the parent execution (a Subflow's child, a
 * retry's next execution keeps its parent), else the trigger by its id.
 */
const withStartedBy = (options: ExecutionOptions | undefined, command: CreateExecution): ExecutionOptions | undefined => {
  if (options?.startedBy !== undefined) return options;
  const parentId = command.parentId ?? command.parent?.executionId;
  const triggerId = typeof command.trigger?.id === 'string' ? command.trigger.id : undefined;
  const startedBy: StartedBy | undefined = parentId !== undefined ? { kind: 'execution', id: parentId } : triggerId !== undefined ? { kind: 'trigger', id: triggerId } : undefined;
  return startedBy === undefined ? options : { ...options, startedBy };
};

/** A start deferred to `scheduledAt`: the durable timer that will start it. */
export const scheduledStart = (event: ExecutionCreated): TimerScheduled | undefined => {
  const fireAt = event.data.options?.scheduledAt;
  if (fireAt === undefined) return undefined;
  return { type: 'TimerScheduled', data: { timerId: scheduledStartTimerId(event.data.executionId), fireAt, purpose: 'start', at: event.data.at } };
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
export const advance = (d: Decision, command: Pick<AdvanceExecution, 'concurrency'>): boolean => {
  const { state } = d.execution;
  if (state !== 'CREATED' && state !== 'QUEUED') return state === 'RUNNING';
  // Scheduled for later: its `start` timer advances it (see fireTimer).
  if (awaitsScheduledStart(d.execution)) return false;
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
  // Named locks of the flow: it starts once it holds them all (locks/).
  if (awaitsExecutionLocks(d)) return false;
  d.emit({ type: 'ExecutionStarted', data: { at: d.now } });
  armFlowTimeout(d);
  armMaxDurationSlas(d);
  return true;
};

/** CREATED with its scheduled start timer still pending. */
export const awaitsScheduledStart = (execution: Execution): boolean =>
  execution.state === 'CREATED' && execution.timers.some((t) => t.purpose === 'start');

/**
 * The flow's `timeout` (max runtime) counts from now: at start, and again at each restart (a
 * restarted execution gets its full runtime back; `run` names the timer of that run).
 */
export const armFlowTimeout = (d: Decision, run?: number): void => {
  // A run's own `maxRuntime` replaces the flow's `timeout`.
  const limit = d.execution.options?.maxRuntime ?? d.flow.timeout;
  const timeout = limit === undefined ? undefined : parseIsoDuration(limit);
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

