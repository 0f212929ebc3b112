import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { eventStoreConformance } from '../test-support/event-store-conformance.js';
import { DuplicateEventIdError, NO_STREAM } from '../index.js';
import { InMemoryEventStore } from './in-memory-event-store.js';

eventStoreConformance('in-memory', async () => {
  const store = new InMemoryEventStore();
  return { store, teardown: () => store.close() };
});

describe('InMemoryEventStore', () => {
  const event = (type: string) => ({ id: randomUUID(), type, data: {}, metadata: { schemaVersion: 1, occurredAt: '2024-01-01T00:00:00.000Z' } });

  it('has no head position while empty', async () => {
    const store = new InMemoryEventStore();
    expect(await store.headPosition()).toBeUndefined();
    expect(await store.readAll()).toEqual([]);
  });

  it('rejects an event id that is already stored, writing nothing', async () => {
    const store = new InMemoryEventStore();
    const first = event('A');
    await store.append('s-1', [first], NO_STREAM);
    await expect(store.append('s-2', [event('B'), first], NO_STREAM)).rejects.toBeInstanceOf(DuplicateEventIdError);
    expect(await store.readStream('s-2')).toEqual([]);
  });

  it('stamps recordedAt with the injected clock', async () => {
    const store = new InMemoryEventStore(() => new Date('2030-01-02T03:04:05.678Z'));
    await store.append('s-1', [event('A')], NO_STREAM);
    expect((await store.readStream('s-1'))[0].recordedAt).toBe('2030-01-02T03:04:05.678Z');
  });
});
