import { randomUUID } from 'node:crypto';
import { CORE_TASK_CATALOG, flowStreamId, FlowValidationError, parseFlow } from '@chronicle/domain';
import { NO_STREAM } from '@chronicle/event-store';
import { InMemoryEventStore } from '@chronicle/event-store/memory';
import { describe, expect, it } from 'vitest';
import { FlowRepository } from './flow-repository.js';

const NOW = '2025-01-01T00:00:00.000Z';

/** A revision written by an older Chronicle, whose parser took what today's refuses. */
const appendRevision = async (store: InMemoryEventStore, source: string, definitionSource: string) => {
  const definition = parseFlow(definitionSource, CORE_TASK_CATALOG, 1);
  await store.append(flowStreamId('n', 'old'), [{
    id: randomUUID(),
    type: 'FlowRevisionDeployed',
    data: { namespace: 'n', flowId: 'old', revision: 1, source, definition: definition as never, at: NOW },
    metadata: { schemaVersion: 1, occurredAt: NOW },
  }], NO_STREAM);
  return definition;
};

describe('FlowRepository', () => {
  it('loads a revision that the parser now refuses as it was deployed (its stored definition)', async () => {
    const store = new InMemoryEventStore();
    const laxSource = 'id: old\nnamespace: n\ncolour: blue\ntasks:\n  - { id: a, type: Log, message: x }\n';
    expect(() => parseFlow(laxSource, CORE_TASK_CATALOG, 1)).toThrow(FlowValidationError);
    const stored = await appendRevision(store, laxSource, 'id: old\nnamespace: n\ntasks:\n  - { id: a, type: Log, message: x }\n');
    const flow = await new FlowRepository(store, CORE_TASK_CATALOG).require('n', 'old', 1);
    expect(flow.definition).toEqual(stored);
    expect(flow.source).toBe(laxSource);
  });

  it('parses a valid revision again from its source (the source is the truth)', async () => {
    const store = new InMemoryEventStore();
    const source = 'id: old\nnamespace: n\ntasks:\n  - { id: a, type: Log, message: "{{ 1 }}", runIf: "{{ true }}" }\n';
    await appendRevision(store, source, 'id: old\nnamespace: n\ntasks:\n  - { id: a, type: Log, message: x }\n');
    const flow = await new FlowRepository(store, CORE_TASK_CATALOG).require('n', 'old', 1);
    expect(flow.definition.tasks[0]).toMatchObject({ runIf: '{{ true }}', properties: { message: '{{ 1 }}' } });
  });
});
