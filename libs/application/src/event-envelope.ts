import { EXECUTION_EVENT_SCHEMA_VERSION, upcastExecutionEvent, type ExecutionEvent } from '@chronicle/domain';
import type { EventData, RecordedEvent } from '@chronicle/event-store';
import { newId } from '@chronicle/runtime';

export interface EnvelopeContext {
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly actor?: string;
}

/** Wraps domain events for the store: a fresh id, the schema version, who and why. */
export function toEventData(events: readonly ExecutionEvent[], context: EnvelopeContext = {}): EventData[] {
  return events.map((event) => ({
    id: newId(),
    type: event.type,
    data: event.data,
    metadata: {
      schemaVersion: EXECUTION_EVENT_SCHEMA_VERSION,
      occurredAt: (event.data as { at: string }).at,
      ...(context.correlationId ? { correlationId: context.correlationId } : {}),
      ...(context.causationId ? { causationId: context.causationId } : {}),
      ...(context.actor ? { actor: context.actor } : {}),
    },
  }));
}

/** Turns a stored event back into the current domain shape (upcasting old versions). */
export function toDomainEvent(recorded: RecordedEvent): ExecutionEvent {
  return upcastExecutionEvent(recorded.type, recorded.data, recorded.metadata.schemaVersion ?? 1) as ExecutionEvent;
}
