import type { ExecutionSnapshot } from '@chronicle/client';
import { duration, state, type Output } from '../output.js';

export const EXECUTION_FIELDS = `id namespace flowId flowRevision state revision startDate endDate originalId parentId labels inputs outputs error
  stateHistory { state date }
  taskRuns { id taskId parentTaskRunId value state startDate endDate error outputs attempts { number state } }`;

/** An execution as the API answers it: the SDK's type, generated from schema.graphql. */
export type ExecutionView = ExecutionSnapshot;

export const TERMINAL_STATES = new Set(['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED', 'RETRIED']);

/** An execution as people read it: its fields, then its task runs. */
export function printExecution(out: Output, execution: ExecutionView): void {
  out.fields([
    ['id', execution.id],
    ['flow', `${execution.namespace}.${execution.flowId} (revision ${execution.flowRevision})`],
    ['state', state(execution.state)],
    ['started', execution.startDate],
    ['ended', execution.endDate],
    ['duration', duration(execution.startDate, execution.endDate)],
    ['original', execution.originalId !== execution.id ? execution.originalId : undefined],
    ['parent', execution.parentId],
    ['labels', nonEmpty(execution.labels)],
    ['inputs', nonEmpty(execution.inputs)],
    ['outputs', nonEmpty(execution.outputs)],
    ['error', execution.error],
    ['revision', execution.revision],
  ]);
  if (execution.taskRuns.length === 0) return;
  out.line();
  out.table(['task', 'task run', 'state', 'attempts', 'duration', 'error'], execution.taskRuns.map((t) => [
    `${t.parentTaskRunId ? '  ' : ''}${t.taskId}${t.value !== undefined && t.value !== null ? `[${t.value}]` : ''}`,
    t.id, state(t.state), t.attempts.length, duration(t.startDate, t.endDate), t.error,
  ]));
}

/** A JSON object worth printing: not null, not empty. */
function nonEmpty(value: unknown): object | undefined {
  return value && typeof value === 'object' && Object.keys(value).length > 0 ? value : undefined;
}
