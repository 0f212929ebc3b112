import type { ExecutionEvent } from '@chronicle/domain';
import type { RecordedEvent } from '@chronicle/event-store';
import { topicNames } from '@chronicle/messaging';
import { describe, expect, it } from 'vitest';
import { concurrencyFactsOf, needsIntentContext } from './execution-intents.js';
import { consumedIntentsOf } from './test-support/consumed-intents.js';

const topics = topicNames('test');
const AT = '2025-01-01T00:00:00.000Z';

function recorded(event: ExecutionEvent): RecordedEvent {
  return { id: 'ev', type: event.type, data: event.data, metadata: { schemaVersion: 1, occurredAt: AT }, streamId: 'execution-x1', revision: 3n, position: 9n, recordedAt: AT };
}

const concurrency = { namespace: 'n', flowId: 'f', key: 'acme', limit: 2 };
const release = { type: 'ReleaseConcurrencySlot', executionId: 'x1', namespace: 'n', flowId: 'f', concurrencyKey: 'acme', limit: 2, endedAt: AT };
const commandsOf = (event: RecordedEvent, context = {}) =>
  consumedIntentsOf(event, topics, context).filter((i) => i.topic === topics.commands).map((i) => ({ key: i.message.key, value: i.message.value }));

describe('intentsOf: flow concurrency slots', () => {
  it('reads the pool from ExecutionCreated, only when the flow has a limit', () => {
    const base = { executionId: 'x1', namespace: 'n', flowId: 'f', flowRevision: 1, inputs: {}, labels: {}, originalId: 'x1', at: AT };
    expect(concurrencyFactsOf({ data: { ...base, concurrencyLimit: 2, concurrencyKey: 'acme' } })).toEqual(concurrency);
    expect(concurrencyFactsOf({ data: { ...base, concurrencyLimit: 1 } })).toEqual({ namespace: 'n', flowId: 'f', key: '', limit: 1 });
    expect(concurrencyFactsOf({ data: base })).toBeUndefined();
  });

  it('releases the slot on every terminal state, RETRIED and CANCELLED included, and on nothing else', () => {
    const ends: ExecutionEvent[] = [
      { type: 'ExecutionSucceeded', data: { at: AT } },
      { type: 'ExecutionFailed', data: { error: 'x', at: AT } },
      ...(['KILLED', 'CANCELLED', 'WARNING', 'RETRIED'] as const).map((state): ExecutionEvent => ({ type: 'ExecutionStateChanged', data: { state, at: AT } })),
    ];
    for (const end of ends) {
      expect(needsIntentContext(recorded(end))).toBe(true);
      expect(commandsOf(recorded(end), { concurrency })).toEqual([{ key: 'x1', value: release }]);
      expect(commandsOf(recorded(end), {})).toEqual([]);
    }
    for (const state of ['QUEUED', 'PAUSED', 'KILLING', 'RUNNING'] as const) {
      expect(commandsOf(recorded({ type: 'ExecutionStateChanged', data: { state, at: AT } }), { concurrency })).toEqual([]);
    }
  });

  it('a limited child tells its parent and frees its slot', () => {
    const parent = { executionId: 'p0', taskRunId: 'p0.1' };
    const values = commandsOf(recorded({ type: 'ExecutionFailed', data: { error: 'task t failed', at: AT } }), { parent, concurrency }).map((c) => c.value);
    expect(values).toEqual([
      { type: 'ChildExecutionEnded', executionId: 'p0', childExecutionId: 'x1', taskRunId: 'p0.1', state: 'FAILED', error: 'task t failed', now: AT },
      release,
    ]);
  });
});
