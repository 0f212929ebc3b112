import type { ExecutionEvent } from '@chronicle/domain';
import type { RecordedEvent } from '@chronicle/event-store';
import { topicNames } from '@chronicle/messaging';
import { describe, expect, it } from 'vitest';
import { intentsOf } from '../execution-intents.js';
import { parseCommandsMessage } from '@chronicle/contracts';

const topics = topicNames('test');
const AT = '2025-01-01T00:00:00.000Z';
const recorded = (event: ExecutionEvent): RecordedEvent => ({
  id: 'ev-1', type: event.type, data: event.data, metadata: { schemaVersion: 2, occurredAt: AT }, streamId: 'execution-p1', revision: 3n, position: 9n, recordedAt: AT,
});
const values = (event: ExecutionEvent) => intentsOf(recorded(event), topics).map((i) => ({ topic: i.topic, key: i.message.key, value: i.message.value }));

describe('named locks: intents', () => {
  it('a request goes to the lock table on the commands topic, keyed by the execution', () => {
    expect(values({ type: 'LocksRequested', data: { holder: 'p1.2', taskRunId: 'p1.2', names: ['a', 'b'], namespace: 'ops', flowId: 'f', priority: 3, at: AT } })).toEqual([
      { topic: 'test.commands', key: 'p1', value: { type: 'AcquireLocks', executionId: 'p1', holder: 'p1.2', taskRunId: 'p1.2', names: ['a', 'b'], namespace: 'ops', flowId: 'f', priority: 3, requestedAt: AT, schemaVersion: 1 } },
    ]);
  });

  it('a release frees the holder\'s claim; acquiring, revoking and a breakpoint need nothing sent', () => {
    expect(values({ type: 'LocksReleased', data: { holder: 'p1', names: ['a'], held: true, at: AT } })).toEqual([
      { topic: 'test.commands', key: 'p1', value: { type: 'ReleaseLocks', executionId: 'p1', holder: 'p1', releasedAt: AT, schemaVersion: 1 } },
    ]);
    expect(values({ type: 'LocksAcquired', data: { holder: 'p1', names: ['a'], at: AT } })).toEqual([]);
    expect(values({ type: 'LockRevoked', data: { holder: 'p1', name: 'a', by: 'admin', at: AT } })).toEqual([]);
    expect(values({ type: 'TaskRunBreakpointReached', data: { taskRunId: 'p1.0', taskId: 't', properties: {}, at: AT } })).toEqual([]);
  });

  it('a new priority moves the execution\'s waiting claims (the lock table finds them); other updates send nothing', () => {
    expect(values({ type: 'ExecutionUpdated', data: { priority: 7, message: 'x', at: AT } })).toEqual([
      { topic: 'test.commands', key: 'p1', value: { type: 'ReprioritizeLocks', executionId: 'p1', priority: 7, at: AT, schemaVersion: 1 } },
    ]);
    expect(values({ type: 'ExecutionUpdated', data: { message: 'only words', at: AT } })).toEqual([]);
    expect(parseCommandsMessage({ type: 'ReprioritizeLocks', executionId: 'p1', priority: 7, at: AT })).toMatchObject({ priority: 7 });
    expect(() => parseCommandsMessage({ type: 'ReprioritizeLocks', executionId: 'p1', priority: -1, at: AT })).toThrow(/ReprioritizeLocks: priority:/);
  });

  it('a malformed lock message is poison, naming what it lacks', () => {
    expect(() => parseCommandsMessage({ type: 'AcquireLocks', executionId: 'p1', holder: 'p1', names: [], namespace: 'n', flowId: 'f', priority: 0, requestedAt: AT })).toThrow(/AcquireLocks: names:/);
    expect(() => parseCommandsMessage({ type: 'ReleaseLocks', executionId: 'p1' })).toThrow(/ReleaseLocks: holder:/);
  });
});
