import { renderValue } from '../expression/template.renderer.js';
import type { FlowOutputDefinition } from '../flow/flow.model.js';
import type { JsonObject, JsonValue } from '../shared/json.js';
import type { Decision } from './decision.js';
import { expressionContextOf } from './expression-scope.js';
import { addMs, parseIsoDuration } from './iso-duration.js';
import type { Outcome } from './progress/outcome.js';
import { attempt, textOf } from './rendering.js';
import { backoffMs } from './retry.policy.js';

/*
 * How an execution ends (by progress, an Exit task, or a task retried as a new execution): a leaf
 * the progress step, the tasks and the attempts all call, so none of them imports the progress loop.
 */

/** The execution ends: its pending timers are cancelled, flow outputs rendered, a flow retry asked for. */
export const endExecution = (d: Decision, outcome: Exclude<Outcome, 'RUNNING'>, failure?: string): void => {
  for (const timer of d.execution.timers) d.emit({ type: 'TimerCancelled', data: { timerId: timer.timerId, at: d.now } });
  if (outcome === 'FAILED') {
    failExecution(d, failure ?? failureOf(d));
    return;
  }
  const outputs = renderFlowOutputs(d);
  if ('error' in outputs) {
    failExecution(d, outputs.error);
    return;
  }
  const withOutputs = outputs.value === undefined ? {} : { outputs: outputs.value };
  if (outcome === 'SUCCESS') d.emit({ type: 'ExecutionSucceeded', data: { ...withOutputs, at: d.now } });
  else d.emit({ type: 'ExecutionStateChanged', data: { state: 'WARNING', ...withOutputs, at: d.now } });
};

/** FAILED, or RETRIED when the flow retries by creating a new execution and has attempts left. */
const failExecution = (d: Decision, error: string): void => {
  const retry = d.flow.retry;
  const execution = d.execution;
  const next = execution.attemptNumber + 1;
  const at = retry?.behavior === 'CREATE_NEW_EXECUTION' && (retry.maxAttempt === undefined || next <= retry.maxAttempt) ? nextExecutionAt(d) : undefined;
  if (at !== undefined) {
    retryAsNewExecution(d, error, at);
    return;
  }
  d.emit({ type: 'ExecutionFailed', data: { error, at: d.now } });
};

/**
 * The execution ends RETRIED and asks for a new one (attempt number + 1, same originalId, inputs
 * and labels) at `notBefore`: a retry with `behavior: CREATE_NEW_EXECUTION`, of the flow or of a task.
 */
export const retryAsNewExecution = (d: Decision, error: string, notBefore: string): void => {
  const execution = d.execution;
  const next = execution.attemptNumber + 1;
  d.emit(
    { type: 'ExecutionStateChanged', data: { state: 'RETRYING', error, at: d.now } },
    {
      type: 'ExecutionRetryRequested',
      data: {
        newExecutionId: `${execution.originalId}.retry.${next}`,
        originalId: execution.originalId,
        namespace: execution.namespace,
        flowId: execution.flowId,
        flowRevision: execution.flowRevision,
        inputs: execution.inputs,
        labels: execution.labels,
        attemptNumber: next,
        notBefore,
        at: d.now,
      },
    },
    { type: 'ExecutionStateChanged', data: { state: 'RETRIED', error, at: d.now } },
  );
};

/**
 * Kestra's ExecutionService.nextRetryDate for a flow retry: the backoff counts from the execution's
 * last state change (when it began RUNNING, not when its task failed), and the retry is off once
 * that date is past the chain's first creation plus `maxDuration`.
 */
const nextExecutionAt = (d: Decision): string | undefined => {
  const retry = d.flow.retry!;
  const execution = d.execution;
  const base = execution.stateHistory.at(-1)?.date ?? execution.startDate;
  const next = addMs(base, backoffMs(retry, execution.attemptNumber, `${execution.originalId}:${execution.attemptNumber + 1}`));
  const max = retry.maxDuration === undefined ? undefined : parseIsoDuration(retry.maxDuration);
  if (max !== undefined && Date.parse(next) > Date.parse(execution.originalCreatedDate ?? execution.startDate) + max) return undefined;
  return next;
};

/** The first task run that failed on its own (not a parent failing because of it). */
const failureOf = (d: Decision): string => {
  const failed = d.execution.taskRuns.find((t) => t.state === 'FAILED' && t.error !== undefined && !t.error.startsWith('task '))
    ?? d.execution.taskRuns.find((t) => t.state === 'FAILED');
  if (failed === undefined) return 'the execution failed';
  return `task ${failed.taskId} failed${failed.error !== undefined ? `: ${failed.error}` : ''}`;
};

/**
 * Flow `outputs`, rendered at the end; one that cannot render fails the execution, as in Kestra,
 * unless it is `required: false`: then it is left out, as one that renders to nothing (no outputs
 * at all when every one is left out: Kestra's FlowOutputTest#shouldGetSuccessExecutionForFlowWithOptionalOutputs).
 */
const renderFlowOutputs = (d: Decision): { value: JsonObject | undefined } | { error: string } => {
  const definitions = d.flow.outputs ?? [];
  if (definitions.length === 0) return { value: undefined };
  const context = expressionContextOf(d.execution, { flow: d.flow, now: d.now, installation: d.installation });
  const entries: [string, JsonValue][] = [];
  for (const output of definitions) {
    const rendered = attempt(`flow output "${output.id}"`, () => renderValue(output.value, context));
    const optional = output.required === false;
    if ('error' in rendered) {
      if (optional) continue;
      return rendered;
    }
    if (optional && (rendered.value === null || rendered.value === '')) continue;
    entries.push([output.id, typed(output, rendered.value)]);
  }
  return { value: entries.length === 0 && definitions.every((o) => o.required === false) ? undefined : Object.fromEntries(entries) };
};

/** A rendered output as its declared type; a structure rendered for a STRING becomes compact JSON. */
const typed = (output: FlowOutputDefinition, value: JsonValue): JsonValue => {
  const type = output.type.toUpperCase();
  if (type === 'STRING') return textOf(value);
  if (typeof value !== 'string') return value;
  if (type === 'INT' || type === 'FLOAT') return Number.isNaN(Number(value)) ? value : Number(value);
  if (type === 'BOOLEAN') return value === 'true' ? true : value === 'false' ? false : value;
  if (type === 'JSON' || type === 'ARRAY') {
    try {
      return JSON.parse(value) as JsonValue;
    } catch {
      return value;
    }
  }
  return value;
};
