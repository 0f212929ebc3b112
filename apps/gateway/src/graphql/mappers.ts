import type { FlowDefinition } from '@chronicle/domain';
import type { ExecutionView, FlowView, LogPage, LogView, TaskRunView } from '@chronicle/read-model';
import type { RecordedEvent } from '@chronicle/event-store';
import { toFeedEvent } from '../live/execution-feeds.js';
import { encodeCursor } from '@chronicle/read-model';
import type { ExecutionEventType, ExecutionType, LogConnectionType, LogEntryType, TaskRunType } from './execution.types.js';
import type { FlowType } from './flow.types.js';

export interface FlowStatusFields {
  readonly disabled: boolean;
  readonly deleted: boolean;
  readonly deployedAt?: string;
}

export function toFlowType(flow: FlowDefinition, source: string, status: FlowStatusFields): FlowType {
  return {
    namespace: flow.namespace,
    id: flow.id,
    revision: flow.revision,
    source,
    description: flow.description,
    inputs: flow.inputs,
    tasks: flow.tasks.map((t) => ({ id: t.id, type: t.typeName, ...t.properties })),
    triggers: flow.triggers,
    labels: flow.labels,
    disabled: status.disabled,
    deleted: status.deleted,
    deployedAt: status.deployedAt,
  };
}

export const flowViewToType = (view: FlowView): FlowType => toFlowType(view.definition, view.source, view);

/**
 * The GraphQL Execution of the read side's view (from the read model, the log's fold or a live
 * update: the same view). The per-run options and the kill reason travel along for their resolvers.
 */
export function toExecutionType(view: ExecutionView): ExecutionType {
  return {
    id: view.id,
    namespace: view.namespace,
    flowId: view.flowId,
    flowRevision: view.flowRevision,
    state: view.state,
    stateHistory: view.stateHistory.map((change) => ({ state: change.state, date: change.date })),
    inputs: view.inputs,
    outputs: view.outputs,
    labels: view.labels,
    trigger: view.trigger,
    taskRuns: view.taskRuns.map(toTaskRunType),
    originalId: view.originalId,
    parentId: view.parentId,
    startDate: view.startDate,
    endDate: view.endDate,
    error: view.error,
    revision: view.revision,
    options: view.options,
    killReason: view.killReason,
    lockClaims: view.lockClaims,
    stepping: view.stepping,
    savepoints: view.savepoints,
    rewinds: view.rewinds,
    wrapped: view.wrapped,
  };
}

function toTaskRunType(taskRun: TaskRunView): TaskRunType {
  return {
    id: taskRun.id,
    taskId: taskRun.taskId,
    parentTaskRunId: taskRun.parentTaskRunId,
    value: taskRun.value,
    state: taskRun.state,
    attempts: taskRun.attempts.map((attempt) => ({
      number: attempt.number, state: attempt.state, startDate: attempt.startDate, endDate: attempt.endDate, error: attempt.error, metrics: attempt.metrics, logFile: attempt.logFile,
    })),
    outputs: taskRun.outputs,
    startDate: taskRun.startDate,
    endDate: taskRun.endDate,
    error: taskRun.error,
    breakpointHold: taskRun.breakpoint,
  };
}

/** An event of the history as the API shows it: the same mapping as the live feeds (execution-feeds.ts). */
export const toExecutionEventType = (event: RecordedEvent): ExecutionEventType => toFeedEvent(event);

export const toLogEntryType = (log: LogView): LogEntryType => ({
  id: log.id, executionId: log.executionId, taskRunId: log.taskRunId, taskId: log.taskId, level: log.level, message: log.message, timestamp: log.timestamp,
});

export function toLogConnection(page: LogPage): LogConnectionType {
  return {
    edges: page.nodes.map((node) => ({ node: toLogEntryType(node), cursor: encodeCursor(node.id) })),
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
  };
}
