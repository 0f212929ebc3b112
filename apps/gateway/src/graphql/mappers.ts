import type { Execution, FlowDefinition } from '@chronicle/domain';
import type { ExecutionView, FlowView, LogPage, LogView } from '@chronicle/read-model';
import type { RecordedEvent } from '@chronicle/event-store';
import { toDomainEvent } from '@chronicle/contracts';
import { encodeCursor } from '@chronicle/read-model';
import type { ExecutionEventType, ExecutionType, LogConnectionType, LogEntryType } from './execution.types.js';
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

export const flowViewToType = (view: FlowView): FlowType => toFlowType(view.definition as FlowDefinition, view.source, view);

/** The domain's folded Execution already has the contract's shape. */
export function toExecutionType(execution: Execution | ExecutionView): ExecutionType {
  return execution as unknown as ExecutionType;
}

export function toExecutionEventType(event: RecordedEvent): ExecutionEventType {
  return {
    position: event.position.toString(),
    revision: Number(event.revision),
    type: event.type,
    // The history shows the current schema: events stored by an older version are upcast.
    data: toDomainEvent(event).data,
    occurredAt: event.metadata.occurredAt ?? event.recordedAt,
    streamId: event.streamId,
  };
}

export const toLogEntryType = (log: LogView): LogEntryType => log as LogEntryType;

export function toLogConnection(page: LogPage): LogConnectionType {
  return {
    edges: page.nodes.map((node) => ({ node: toLogEntryType(node), cursor: encodeCursor(node.id) })),
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
  };
}
