import { EXECUTION_EVENT_SCHEMA_VERSION, type ExecutionEvent } from '@chronicle/domain';
import type { RecordedEvent } from '@chronicle/event-store';
import { describe, expect, it } from 'vitest';
import { toDomainEvent, toEventData } from './event-envelope.js';

const labelsChanged = { type: 'ExecutionLabelsChanged', data: { labels: { team: 'a' }, taskRunId: 'e.0', at: '2026-01-01T00:00:00.000Z' } } as ExecutionEvent;

describe('event envelope', () => {
  it('stamps the schema version, the time it occurred and who caused it, and gives each event its own id', () => {
    const [first, second] = toEventData([labelsChanged, labelsChanged], { correlationId: 'c-1', causationId: 'm-1', actor: 'ada' });
    expect(first!.metadata).toEqual({
      schemaVersion: EXECUTION_EVENT_SCHEMA_VERSION, occurredAt: '2026-01-01T00:00:00.000Z', correlationId: 'c-1', causationId: 'm-1', actor: 'ada',
    });
    expect(first!.id).not.toEqual(second!.id);
    // Byte for byte as stored (the key order too).
    expect(JSON.stringify(first!.metadata)).toBe(`{"schemaVersion":${EXECUTION_EVENT_SCHEMA_VERSION},"occurredAt":"2026-01-01T00:00:00.000Z","correlationId":"c-1","causationId":"m-1","actor":"ada"}`);
  });

  it('leaves out the context it was not given', () => {
    const [data] = toEventData([labelsChanged]);
    expect(Object.keys(data!.metadata)).toEqual(['schemaVersion', 'occurredAt']);
  });

  it('reads a stored event back as the same domain event', () => {
    const [data] = toEventData([labelsChanged]);
    const recorded = { ...data!, streamId: 'execution-e', revision: 0n, position: 0n } as unknown as RecordedEvent;
    expect(toDomainEvent(recorded)).toEqual(labelsChanged);
  });
});
