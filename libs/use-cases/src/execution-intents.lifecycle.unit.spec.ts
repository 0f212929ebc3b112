import type { ExecutionEvent } from '@chronicle/domain';
import type { RecordedEvent } from '@chronicle/event-store';
import { topicNames } from '@chronicle/messaging';
import { describe, expect, it } from 'vitest';
import { INTENT_EVENT_TYPES, needsIntentContext } from './execution-intents.js';
import { consumedIntentsOf } from './test-support/consumed-intents.js';

const topics = topicNames('test');
const AT = '2025-01-01T00:00:00.000Z';
let position = 0n;

/** A stored event of execution `p1`, as the relay receives it. */
function recorded(event: ExecutionEvent, executionId = 'p1'): RecordedEvent {
  position += 1n;
  return {
    id: `ev-${position}`, type: event.type, data: event.data, metadata: { schemaVersion: 1, occurredAt: AT },
    streamId: `execution-${executionId}`, revision: 0n, position, recordedAt: AT,
  };
}

const job = { executionId: 'p1', taskRunId: 'p1.3', taskId: 'flaky', attempt: 2, type: 'Log', properties: { message: 'again' } };
const onlyValues = (event: RecordedEvent, context = {}) => consumedIntentsOf(event, topics, context).map((i) => ({ topic: i.topic, key: i.message.key, value: i.message.value }));

describe('intentsOf: the engine lifecycle', () => {
  it('dispatches the job of a new attempt like a first one, and nothing for a flowable attempt', () => {
    expect(onlyValues(recorded({ type: 'TaskRunAttemptCreated', data: { taskRunId: 'p1.3', attempt: 2, job, at: AT } }))).toEqual([
      { topic: 'test.tasks', key: 'p1', value: job },
    ]);
    expect(onlyValues(recorded({ type: 'TaskRunAttemptCreated', data: { taskRunId: 'p1.3', attempt: 2, at: AT } }))).toEqual([]);
  });

  it('hands timers to the scheduler on the timers topic, keyed by execution', () => {
    expect(onlyValues(recorded({ type: 'TimerScheduled', data: { timerId: 'p1.3/retry/2', fireAt: '2025-01-01T00:00:05.000Z', purpose: 'retry', taskRunId: 'p1.3', at: AT } }))).toEqual([
      { topic: 'test.timers', key: 'p1', value: { type: 'ScheduleTimer', timerId: 'p1.3/retry/2', executionId: 'p1', fireAt: '2025-01-01T00:00:05.000Z', purpose: 'retry', taskRunId: 'p1.3' } },
    ]);
    expect(onlyValues(recorded({ type: 'TimerCancelled', data: { timerId: 'p1.4/pause', at: AT } }))).toEqual([
      { topic: 'test.timers', key: 'p1', value: { type: 'CancelTimer', timerId: 'p1.4/pause', executionId: 'p1' } },
    ]);
  });

  it("sends a Sleep's `Waiting for` line to the logs topic with its timer", () => {
    const log = { taskId: 'nap', level: 'INFO' as const, message: 'Waiting for PT0.1S' };
    expect(onlyValues(recorded({ type: 'TimerScheduled', data: { timerId: 'p1.2:sleep', fireAt: '2025-01-01T00:00:05.000Z', purpose: 'sleep', taskRunId: 'p1.2', log, at: AT } }))).toEqual([
      { topic: 'test.logs', key: 'p1', value: { executionId: 'p1', taskRunId: 'p1.2', taskId: 'nap', level: 'INFO', message: 'Waiting for PT0.1S', timestamp: AT } },
      { topic: 'test.timers', key: 'p1', value: { type: 'ScheduleTimer', timerId: 'p1.2:sleep', executionId: 'p1', fireAt: '2025-01-01T00:00:05.000Z', purpose: 'sleep', taskRunId: 'p1.2' } },
    ]);
  });

  it('asks for a child execution on the commands topic keyed by the child id', () => {
    const data = {
      childExecutionId: 'c1', taskRunId: 'p1.2', attempt: 1, namespace: 'ns', flowId: 'child', inputs: { n: 1 }, labels: { a: 'b' },
      trigger: { executionId: 'p1' }, wait: true, transmitFailed: true, at: AT,
    };
    const { at: _at, ...request } = data;
    expect(onlyValues(recorded({ type: 'ChildExecutionRequested', data }))).toEqual([
      { topic: 'test.commands', key: 'c1', value: { type: 'StartChildExecution', parentExecutionId: 'p1', ...request, requestedAt: AT } },
    ]);
  });

  it('broadcasts a kill request for an attempt on the control topic', () => {
    expect(onlyValues(recorded({ type: 'TaskRunKillRequested', data: { taskRunId: 'p1.3', attempt: 2, at: AT } }))).toEqual([
      { topic: 'test.control', key: 'p1', value: { type: 'KillTaskRun', executionId: 'p1', taskRunId: 'p1.3', attempt: 2, reason: 'the execution is being killed' } },
    ]);
  });

  it('delays a retry execution (CREATE_NEW_EXECUTION) with a durable timer that delivers the creation request', () => {
    const data = {
      newExecutionId: 'n1', originalId: 'p1', namespace: 'ns', flowId: 'f', flowRevision: 3, inputs: { a: 1 }, labels: {}, attemptNumber: 2,
      notBefore: '2025-01-01T00:01:00.000Z', at: AT,
    };
    const { at: _at, ...request } = data;
    expect(onlyValues(recorded({ type: 'ExecutionRetryRequested', data }))).toEqual([
      {
        topic: 'test.timers', key: 'p1',
        value: {
          type: 'ScheduleTimer', timerId: 'retry-execution:n1', executionId: 'p1', fireAt: '2025-01-01T00:01:00.000Z', purpose: 'retry',
          // The scheduler publishes `deliver.value` as it is: it already carries the commands contract's version.
          deliver: { key: 'n1', value: { type: 'CreateRetryExecution', retriedExecutionId: 'p1', ...request, schemaVersion: 1 } },
        },
      },
    ]);
  });

  it('tells the parent when a child ends (with its outputs), and nothing for an execution without a parent', () => {
    const parent = { executionId: 'p0', taskRunId: 'p0.5' };
    const succeeded = recorded({ type: 'ExecutionSucceeded', data: { outputs: { total: 3 }, at: AT } });
    expect(needsIntentContext(succeeded)).toBe(true);
    expect(onlyValues(succeeded, { parent })).toEqual([
      { topic: 'test.commands', key: 'p0', value: { type: 'ChildExecutionEnded', executionId: 'p0', childExecutionId: 'p1', taskRunId: 'p0.5', state: 'SUCCESS', outputs: { total: 3 }, now: AT } },
    ]);
    expect(onlyValues(recorded({ type: 'ExecutionFailed', data: { error: 'boom', at: AT } }), { parent })).toEqual([
      { topic: 'test.commands', key: 'p0', value: { type: 'ChildExecutionEnded', executionId: 'p0', childExecutionId: 'p1', taskRunId: 'p0.5', state: 'FAILED', error: 'boom', now: AT } },
    ]);
    expect(onlyValues(recorded({ type: 'ExecutionStateChanged', data: { state: 'KILLED', at: AT } }), { parent })).toEqual([
      { topic: 'test.commands', key: 'p0', value: { type: 'ChildExecutionEnded', executionId: 'p0', childExecutionId: 'p1', taskRunId: 'p0.5', state: 'KILLED', now: AT } },
    ]);
    expect(onlyValues(succeeded, {})).toEqual([]);
    // RETRIED is not an end for the parent: the retry execution (which keeps the parent) reports instead.
    expect(onlyValues(recorded({ type: 'ExecutionStateChanged', data: { state: 'RETRIED', at: AT } }), { parent })).toEqual([]);
    expect(onlyValues(recorded({ type: 'ExecutionStateChanged', data: { state: 'PAUSED', at: AT } }), { parent })).toEqual([]);
  });

  it('kills the child execution of a Subflow attempt that must stop, instead of telling workers', () => {
    expect(onlyValues(recorded({ type: 'TaskRunKillRequested', data: { taskRunId: 'p1.2', attempt: 1, childExecutionId: 'c1', at: AT } } as ExecutionEvent))).toEqual([
      { topic: 'test.commands', key: 'c1', value: { type: 'KillExecution', executionId: 'c1', reason: 'parent execution p1 is being killed', now: AT } },
    ]);
    expect(needsIntentContext(recorded({ type: 'ExecutionStateChanged', data: { state: 'KILLING', at: AT } }))).toBe(false);
    // A rewind that abandons the branch that started the child says so in the child's kill.
    expect(onlyValues(recorded({ type: 'TaskRunKillRequested', data: { taskRunId: 'p1.2', attempt: 1, childExecutionId: 'c1', reason: 'rewound to revision 4', at: AT } } as ExecutionEvent))).toEqual([
      { topic: 'test.commands', key: 'c1', value: { type: 'KillExecution', executionId: 'c1', reason: 'rewound to revision 4', now: AT } },
    ]);
  });

  it('sends the Resume task\'s request to the execution it names, as a ResumeExecution command; labels need nothing sent', () => {
    expect(onlyValues(recorded({ type: 'ExecutionResumeRequested', data: { taskRunId: 'p1.0', targetExecutionId: 'x9', inputs: { ok: true }, at: AT } }))).toEqual([
      { topic: 'test.commands', key: 'x9', value: { type: 'ResumeExecution', executionId: 'x9', approve: true, inputs: { ok: true }, requestedBy: { executionId: 'p1', taskRunId: 'p1.0' }, now: AT } },
    ]);
    expect(onlyValues(recorded({ type: 'ExecutionLabelsChanged', data: { taskRunId: 'p1.0', labels: { a: 'b' }, at: AT } }))).toEqual([]);
  });

  it('sends the target\'s answer back to the Resume task\'s execution: resumed, or not paused with the state it was in', () => {
    const requestedBy = { executionId: 'x9', taskRunId: 'x9.0' };
    expect(onlyValues(recorded({ type: 'ExecutionResumeAnswered', data: { requestedBy, resumed: true, state: 'PAUSED', at: AT } }))).toEqual([
      { topic: 'test.commands', key: 'x9', value: { type: 'ResumeAnswered', executionId: 'x9', taskRunId: 'x9.0', targetExecutionId: 'p1', resumed: true, now: AT } },
    ]);
    expect(onlyValues(recorded({ type: 'ExecutionResumeAnswered', data: { requestedBy, resumed: false, state: 'SUCCESS', at: AT } }))).toEqual([
      { topic: 'test.commands', key: 'x9', value: { type: 'ResumeAnswered', executionId: 'x9', taskRunId: 'x9.0', targetExecutionId: 'p1', resumed: false, error: 'execution p1 is not paused (it is SUCCESS)', now: AT } },
    ]);
  });

  it('keeps the relay filter in line with the mapping: every event with an intent is in INTENT_EVENT_TYPES', () => {
    const withIntents: ExecutionEvent['type'][] = [
      'ExecutionCreated', 'TaskRunCreated', 'TaskRunAttemptCreated', 'TimerScheduled', 'TimerCancelled', 'ChildExecutionRequested',
      'TaskRunKillRequested', 'ExecutionRetryRequested', 'ExecutionResumeRequested', 'ExecutionResumeAnswered', 'ExecutionSucceeded', 'ExecutionFailed', 'ExecutionStateChanged',
      'TaskRunFailed', 'TaskRunStateChanged', // their ERROR log line (failure-logs.unit.spec.ts)
      'ExecutionWatchRequested', 'ExecutionEndNotified', // WaitForExecution (below)
      'LocksRequested', 'LocksReleased', 'ExecutionUpdated', // named locks (locks/lock-intents.unit.spec.ts)
    ];
    expect([...INTENT_EVENT_TYPES].sort()).toEqual([...withIntents].sort());
    for (const type of ['TaskRunStarted', 'TaskRunSucceeded', 'TaskRunStateChanged', 'TimerFired', 'ExecutionStarted'] as const) {
      expect(consumedIntentsOf(recorded({ type, data: { taskRunId: 'p1.0', attempt: 1, outputs: {}, error: 'x', state: 'RUNNING', timerId: 't', at: AT } } as never), topics)).toEqual([]);
    }
  });

  it('WaitForExecution: the watch request goes to the target, the end notice to the watcher, keyed by each', () => {
    const asked = consumedIntentsOf(recorded({ type: 'ExecutionWatchRequested', data: { taskRunId: 'p1.0', targetExecutionId: 'other', namespace: 'team', at: AT } } as never), topics);
    expect(asked.map((i) => [i.topic, i.message.key, i.message.value])).toEqual([[topics.commands, 'other', { type: 'WatchExecution', executionId: 'other', watcher: { executionId: 'p1', taskRunId: 'p1.0', namespace: 'team' }, now: AT }]]);
    const told = consumedIntentsOf({ ...recorded({ type: 'ExecutionEndNotified', data: { watcher: { executionId: 'w', taskRunId: 'w.0' }, state: 'SUCCESS', at: AT } } as never), streamId: 'execution-other' }, topics);
    expect(told.map((i) => [i.topic, i.message.key, i.message.value])).toEqual([[topics.commands, 'w', { type: 'WatchedExecutionEnded', executionId: 'w', taskRunId: 'w.0', watchedExecutionId: 'other', state: 'SUCCESS', now: AT }]]);
  });

  it('WaitForExecution: the states waited for travel with the watcher; a target chosen by labels is first resolved on the waiter\'s own key', () => {
    const asked = consumedIntentsOf(recorded({ type: 'ExecutionWatchRequested', data: { taskRunId: 'p1.0', targetExecutionId: 'other', namespace: 'team', states: ['PAUSED'], at: AT } } as never), topics);
    expect(asked.map((i) => i.message.value)).toEqual([{ type: 'WatchExecution', executionId: 'other', watcher: { executionId: 'p1', taskRunId: 'p1.0', namespace: 'team', states: ['PAUSED'] }, now: AT }]);
    const byLabels = consumedIntentsOf(recorded({ type: 'ExecutionWatchRequested', data: { taskRunId: 'p1.0', targetLabels: { release: '7' }, namespace: 'team', states: ['RUNNING'], at: AT } } as never), topics);
    expect(byLabels.map((i) => [i.topic, i.message.key, i.message.value])).toEqual([[topics.commands, 'p1', { type: 'ResolveWatchTarget', executionId: 'p1', taskRunId: 'p1.0', labels: { release: '7' }, now: AT }]]);
  });
});
