import { duration, state, type Output } from '../output.js';

export const EXECUTION_FIELDS = `id namespace flowId flowRevision state revision startDate endDate originalId parentId labels inputs outputs error
  name description message priority maxRuntime scheduledAt killReason startedBy { kind id }
  stateHistory { state date }
  taskRuns { id taskId parentTaskRunId value state startDate endDate error outputs attempts { number state } }`;

export interface ExecutionView {
  readonly id: string;
  readonly namespace: string;
  readonly flowId: string;
  readonly flowRevision: number;
  readonly state: string;
  readonly revision: number;
  readonly startDate?: string;
  readonly endDate?: string;
  readonly originalId: string;
  readonly parentId?: string;
  readonly labels?: Record<string, string>;
  readonly inputs?: Record<string, unknown>;
  readonly outputs?: Record<string, unknown>;
  readonly error?: string;
  readonly name?: string | null;
  readonly description?: string | null;
  readonly message?: string | null;
  readonly priority?: number | null;
  readonly maxRuntime?: string | null;
  readonly scheduledAt?: string | null;
  readonly killReason?: string | null;
  readonly startedBy?: { kind: string; id: string } | null;
  readonly stateHistory: readonly { state: string; date: string }[];
  readonly taskRuns: readonly {
    id: string; taskId: string; parentTaskRunId?: string; value?: string; state: string; startDate?: string; endDate?: string; error?: string;
    attempts: readonly { number: number; state: string }[];
  }[];
}

export const TERMINAL_STATES = new Set(['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED', 'RETRIED']);

/** An execution as people read it: its fields, then its task runs. */
export function printExecution(out: Output, execution: ExecutionView): void {
  out.fields([
    ['id', execution.id],
    ['name', execution.name ?? undefined],
    ['flow', `${execution.namespace}.${execution.flowId} (revision ${execution.flowRevision})`],
    ['state', state(execution.state)],
    ['message', execution.message ?? undefined],
    ['scheduled at', execution.scheduledAt ?? undefined],
    ['priority', execution.priority ?? undefined],
    ['max runtime', execution.maxRuntime ?? undefined],
    ['started by', execution.startedBy ? `${execution.startedBy.kind} ${execution.startedBy.id}` : undefined],
    ['description', execution.description ?? undefined],
    ['started', execution.startDate],
    ['ended', execution.endDate],
    ['duration', duration(execution.startDate, execution.endDate)],
    ['original', execution.originalId !== execution.id ? execution.originalId : undefined],
    ['parent', execution.parentId],
    ['labels', execution.labels && Object.keys(execution.labels).length > 0 ? execution.labels : undefined],
    ['inputs', execution.inputs && Object.keys(execution.inputs).length > 0 ? execution.inputs : undefined],
    ['outputs', execution.outputs && Object.keys(execution.outputs).length > 0 ? execution.outputs : undefined],
    ['error', execution.error ?? execution.killReason ?? undefined],
    ['revision', execution.revision],
  ]);
  if (execution.taskRuns.length === 0) return;
  out.line();
  out.table(['task', 'task run', 'state', 'attempts', 'duration', 'error'], execution.taskRuns.map((t) => [
    `${t.parentTaskRunId ? '  ' : ''}${t.taskId}${t.value !== undefined && t.value !== null ? `[${t.value}]` : ''}`,
    t.id, state(t.state), t.attempts.length, duration(t.startDate, t.endDate), t.error,
  ]));
}
