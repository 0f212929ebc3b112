import { EXECUTION_EVENT_SCHEMA_VERSION, upcastExecutionEvent, type ExecutionEvent } from '@chronicle/domain';
import type { EventData, EventMetadata, RecordedEvent } from '@chronicle/event-store';
import { newId, traceHeaders } from '@chronicle/runtime';

export interface EnvelopeContext {
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly actor?: string;
}

/**
 * Wraps domain events for the store: a fresh id, the schema version, who and why, and (when
 * tracing is on) the active span's `traceparent`, which the relay puts on the messages the
 * events cause: the trace crosses the event store.
 */
export function toEventData(events: readonly ExecutionEvent[], context: EnvelopeContext = {}): EventData[] {
  const { traceparent } = traceHeaders();
  return events.map((event) => ({ id: newId(), type: event.type, data: event.data, metadata: metadataOf(event, context, traceparent) }));
}

/** An event's metadata, built by assignment (every event of every decision has one; a spread per optional part made a temporary object each). */
function metadataOf(event: ExecutionEvent, context: EnvelopeContext, traceparent: string | undefined): EventMetadata {
  const metadata: Record<string, unknown> = { schemaVersion: EXECUTION_EVENT_SCHEMA_VERSION, occurredAt: (event.data as { at: string }).at };
  if (context.correlationId) metadata.correlationId = context.correlationId;
  if (context.causationId) metadata.causationId = context.causationId;
  if (context.actor) metadata.actor = context.actor;
  if (traceparent) metadata.traceparent = traceparent;
  return metadata as EventMetadata;
}

/** Turns a stored event back into the current domain shape (upcasting old versions). */
export function toDomainEvent(recorded: RecordedEvent): ExecutionEvent {
  return upcastExecutionEvent(recorded.type, recorded.data, recorded.metadata.schemaVersion ?? 1) as ExecutionEvent;
}
