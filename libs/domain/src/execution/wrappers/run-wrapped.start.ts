import { attemptFailed } from '../attempt.end.js';
import { CORRELATION_LABEL } from '../correlation-label.js';
import type { Decision } from '../decision.js';
import type { TaskDefinition } from '../../flow/flow.model.js';

const RUN_WRAPPED_TRIGGER_TYPE = 'io.chronicle.wrapper.RunWrapped';

/**
 * Attempt `number` of a RunWrapped task asks for the next layer of the wrapped start as its child:
 * the next inner wrapper (carrying the rest of the chain), or the wrapped flow itself, with the
 * inputs, labels and run options it was started with, created unwrapped (its wrappers are these).
 * An execution that wraps nothing fails the task: RunWrapped only runs in a wrapper execution.
 */
export const requestWrappedChild = (d: Decision, taskRunId: string, task: TaskDefinition, number: number, childExecutionId: string): void => {
  const execution = d.execution;
  const wrapped = execution.wrapped;
  if (wrapped === undefined) {
    attemptFailed(d, taskRunId, task, number, `task ${task.id}: RunWrapped runs only in a wrapper execution, and ${execution.namespace}.${execution.flowId} was started as a flow of its own (add it to a flow's wrappers)`);
    return;
  }
  const [next, ...inner] = wrapped.wrappers;
  const labels = { ...wrapped.labels, [CORRELATION_LABEL]: execution.labels[CORRELATION_LABEL] ?? execution.id };
  const layer = next === undefined
    ? { namespace: wrapped.namespace, flowId: wrapped.flowId, ...(wrapped.revision !== undefined ? { flowRevision: wrapped.revision } : {}), inputs: wrapped.inputs }
    : { namespace: next.namespace, flowId: next.flowId, inputs: next.inputs ?? {}, wrapped: { ...wrapped, wrappers: inner } };
  d.emit({
    type: 'ChildExecutionRequested',
    data: {
      childExecutionId,
      taskRunId,
      attempt: number,
      ...layer,
      labels,
      trigger: {
        type: RUN_WRAPPED_TRIGGER_TYPE,
        variables: { executionId: execution.id, namespace: execution.namespace, flowId: execution.flowId, flowRevision: execution.flowRevision, ...(wrapped.options?.mode !== undefined ? { mode: wrapped.options.mode } : {}) },
      },
      ...(wrapped.options !== undefined ? { options: wrapped.options } : {}),
      unwrapped: true,
      wait: true,
      transmitFailed: true,
      at: d.now,
    },
  });
};
