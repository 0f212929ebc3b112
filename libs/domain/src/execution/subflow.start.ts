import { renderValue } from '../expression/template.renderer.js';
import type { TaskDefinition } from '../flow/flow.model.js';
import type { JsonObject, JsonValue } from '../shared/json.js';
import { attemptFailed, attemptSucceeded } from './attempt.end.js';
import { scopeOf } from './task-run.scope.js';
import type { Decision } from './decision.js';
import { expressionContextOf } from './expression-scope.js';
import { attempt, textOf } from './rendering.js';
import { CORRELATION_LABEL } from './correlation-label.js';
import { RUN_WRAPPED } from '../task-types/run-wrapped.task.js';
import { requestWrappedChild } from './wrappers/run-wrapped.start.js';

const SUBFLOW_TRIGGER_TYPE = 'io.kestra.plugin.core.flow.Subflow';
export { CORRELATION_LABEL };

const isObject = (value: JsonValue | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Task `labels` as a mapping or Kestra's list of `{ key, value }`. */
export const labelsOf = (raw: JsonValue | undefined): Record<string, string> => {
  if (Array.isArray(raw)) {
    return Object.fromEntries(raw.flatMap((l) => (isObject(l) && typeof l.key === 'string' ? [[l.key, textOf(l.value ?? null)]] : [])));
  }
  return isObject(raw) ? Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, textOf(v)])) : {};
};

/**
 * Attempt `number` of a Subflow asks for its child execution. The child's labels: the parent
 * execution's when `inheritLabels`, then the task's `labels`; `system.correlationId` always
 * follows the chain (Kestra passes system labels even without inheritLabels). The child's own
 * flow labels are added when the application creates it. `wait: false` succeeds at once.
 */
export const requestChild = (d: Decision, taskRunId: string, task: TaskDefinition, number: number, childExecutionId: string): void => {
  if (task.properties[RUN_WRAPPED] === true) return requestWrappedChild(d, taskRunId, task, number, childExecutionId);
  const execution = d.execution;
  const context = expressionContextOf(execution, { flow: d.flow, now: d.now, installation: d.installation, taskRun: { ...scopeOf(d.taskRun(taskRunId), task), attemptsCount: number - 1 } });
  const p = task.properties;
  const rendered = attempt(`task ${task.id}`, () => ({
    namespace: textOf(renderValue(p.namespace ?? '', context)),
    flowId: textOf(renderValue(p.flowId ?? '', context)),
    inputs: renderValue(p.inputs ?? {}, context),
    labels: labelsOf(renderValue(p.labels ?? {}, context)),
  }));
  if ('error' in rendered) {
    attemptFailed(d, taskRunId, task, number, rendered.error);
    return;
  }
  const inherited = p.inheritLabels === true
    ? execution.labels
    : Object.fromEntries(Object.entries(execution.labels).filter(([k]) => k.startsWith('system.')));
  const labels = { ...inherited, [CORRELATION_LABEL]: execution.labels[CORRELATION_LABEL] ?? execution.id, ...rendered.value.labels };
  const wait = p.wait !== false;
  d.emit({
    type: 'ChildExecutionRequested',
    data: {
      childExecutionId,
      taskRunId,
      attempt: number,
      namespace: rendered.value.namespace,
      flowId: rendered.value.flowId,
      ...(typeof p.revision === 'number' ? { flowRevision: p.revision } : {}),
      inputs: isObject(rendered.value.inputs) ? rendered.value.inputs : {},
      labels,
      trigger: {
        type: SUBFLOW_TRIGGER_TYPE,
        // A development run's children are development runs too (no productive side effects below it).
        variables: { executionId: execution.id, namespace: execution.namespace, flowId: execution.flowId, flowRevision: execution.flowRevision, ...(execution.options?.mode !== undefined ? { mode: execution.options.mode } : {}) },
      },
      wait,
      transmitFailed: p.transmitFailed !== false,
      at: d.now,
    },
  });
  if (!wait) attemptSucceeded(d, taskRunId, task, number, { executionId: childExecutionId });
};
