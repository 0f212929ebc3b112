import type { Attempt, Execution, ExecutionSnapshot, TaskRun } from '@chronicle/client';
import { duration, state, type Output } from '../output.js';

export const EXECUTION_FIELDS = `id namespace flowId flowRevision state revision startDate endDate originalId parentId labels inputs outputs error
  name description message priority maxRuntime scheduledAt killReason startedBy { kind id }
  stateHistory { state date }
  breakpoints stepMode lockClaims { taskRunId names state since }
  taskRuns { id taskId parentTaskRunId value state startDate endDate error outputs attempts { number state } breakpoint { since properties error } }`;

/** An execution as the CLI asks for it (EXECUTION_FIELDS): the SDK's types generated from schema.graphql. */
export type ExecutionView = Pick<Execution,
  | 'id' | 'namespace' | 'flowId' | 'flowRevision' | 'state' | 'revision' | 'startDate' | 'endDate' | 'originalId' | 'parentId' | 'labels' | 'inputs'
  | 'outputs' | 'error' | 'name' | 'description' | 'message' | 'priority' | 'maxRuntime' | 'scheduledAt' | 'killReason' | 'startedBy' | 'stateHistory'
  | 'breakpoints' | 'stepMode' | 'lockClaims'> & {
  readonly taskRuns: readonly (Pick<TaskRun, 'id' | 'taskId' | 'parentTaskRunId' | 'value' | 'state' | 'startDate' | 'endDate' | 'error'> & { readonly attempts: readonly Pick<Attempt, 'number' | 'state'>[] } & Partial<Pick<TaskRun, 'breakpoint'>>)[];
};

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
    ['labels', nonEmpty(execution.labels)],
    ['inputs', nonEmpty(execution.inputs)],
    ['outputs', nonEmpty(execution.outputs)],
    ['error', execution.error ?? execution.killReason ?? undefined],
    ['breakpoints', execution.breakpoints && execution.breakpoints.length > 0 ? execution.breakpoints.join(', ') : undefined],
    ['step mode', execution.stepMode ? 'on' : undefined],
    ...lockFields(execution),
    ...breakpointFields(execution),
    ['revision', execution.revision],
  ]);
  if (execution.taskRuns.length === 0) return;
  out.line();
  out.table(['task', 'task run', 'state', 'attempts', 'duration', 'error'], execution.taskRuns.map((t) => [
    `${t.parentTaskRunId ? '  ' : ''}${t.taskId}${t.value !== undefined && t.value !== null ? `[${t.value}]` : ''}`,
    t.id, state(t.state), t.attempts.length, duration(t.startDate, t.endDate), t.error,
  ]));
}

/** The lock waits and holds, as `waiting for lock(s)` / `holding lock(s)` lines. */
function lockFields(execution: ExecutionView): [string, unknown][] {
  return (execution.lockClaims ?? []).map((c) => [
    c.state === 'WAITING' ? 'waiting for locks' : 'holding locks',
    `${c.names.join(', ')}${c.taskRunId ? ` (task run ${c.taskRunId})` : ''} since ${c.since}`,
  ]);
}

/** The task run the execution is paused before, with its rendered properties. */
function breakpointFields(execution: ExecutionView): [string, unknown][] {
  const held = execution.taskRuns.find((t) => t.breakpoint && t.state === 'CREATED');
  if (!held?.breakpoint) return [];
  return [
    ['paused before', `${held.taskId} (task run ${held.id}): continue, step, skip or kill`],
    [held.breakpoint.error ? 'cannot render' : 'its properties', held.breakpoint.error ?? held.breakpoint.properties ?? {}],
  ];
}

/** A JSON object worth printing: not null, not empty. */
function nonEmpty(value: unknown): object | undefined {
  return value && typeof value === 'object' && Object.keys(value).length > 0 ? value : undefined;
}

/** The SDK's answer as the CLI prints it (it holds every field the CLI asks for). */
export const fromSnapshot = (snapshot: ExecutionSnapshot): ExecutionView => snapshot;
