import type { Execution, FlowDefinition } from '@chronicle/domain';
import type { ExecutionView } from '@chronicle/read-model';
import type { RecordedEvent } from '@chronicle/event-store';
import type { ExecutionEventType, ExecutionType } from './execution.types.js';
import type { FlowType } from './flow.types.js';

export function toFlowType(flow: FlowDefinition, source: string): FlowType {
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
  };
}

/** The domain's folded Execution already has the contract's shape. */
export function toExecutionType(execution: Execution | ExecutionView): ExecutionType {
  return execution as unknown as ExecutionType;
}

export function toExecutionEventType(event: RecordedEvent): ExecutionEventType {
  return {
    position: event.position.toString(),
    revision: Number(event.revision),
    type: event.type,
    data: event.data,
    occurredAt: event.metadata.occurredAt ?? event.recordedAt,
  };
}
