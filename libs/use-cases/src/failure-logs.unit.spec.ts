import { CORE_TASK_CATALOG, decide, evolve, type ExecutionEvent, type ExecutionState, parseFlow } from '@chronicle/domain';
import type { RecordedEvent } from '@chronicle/event-store';
import { topicNames } from '@chronicle/messaging';
import { describe, expect, it } from 'vitest';
import { needsIntentContext } from './execution-intents.js';
import { consumedIntentsOf } from './test-support/consumed-intents.js';
import { failureLogOf, isLoggedFailure } from './failure-logs.js';

const topics = topicNames('test');
const AT = '2025-01-01T00:00:01.000Z';

const recorded = (event: { type: string; data: unknown }, revision = 5): RecordedEvent => ({
  id: `event-${revision}`,
  streamId: 'execution-e1',
  type: event.type,
  data: event.data,
  metadata: { schemaVersion: 1, occurredAt: AT },
  revision: BigInt(revision),
  position: BigInt(100 + revision),
  recordedAt: AT,
});

/** The events the decider emits for a flow, the worker failing every attempt with `boom` (no local tasks: the worker runs them all). */
const decided = (yaml: string): ExecutionEvent[] => {
  const flow = parseFlow(yaml, CORE_TASK_CATALOG, 1);
  let state: ExecutionState = undefined;
  const events: ExecutionEvent[] = [];
  const apply = (list: ExecutionEvent[]) => {
    for (const event of list) {
      state = evolve(state, event);
      events.push(event);
    }
  };
  apply(decide({ type: 'CreateExecution', executionId: 'e1', flow, inputs: {}, now: AT }, state));
  apply(decide({ type: 'AdvanceExecution', executionId: 'e1', now: AT }, state, { taskTypes: CORE_TASK_CATALOG, flow, localTasks: false }));
  for (let i = 0; i < 10; i++) {
    const job = events.flatMap((e) => (e.type === 'TaskRunCreated' && e.data.job ? [e.data.job] : [])).find((j) => state!.taskRuns.find((t) => t.id === j.taskRunId)?.state === 'CREATED');
    if (job === undefined) break;
    apply(decide({ type: 'FailTaskRun', executionId: 'e1', taskRunId: job.taskRunId, attempt: job.attempt, error: 'boom', now: AT }, state, { taskTypes: CORE_TASK_CATALOG, flow, localTasks: false }));
  }
  return events;
};

const logLines = (events: readonly ExecutionEvent[]) =>
  events.flatMap((event, i) => consumedIntentsOf(recorded(event, i), topics, { taskId: 'the-task' })).filter((intent) => intent.topic === topics.logs);

describe('failure log lines (one ERROR line per task-run failure, from its event)', () => {
  it('a failed attempt: one ERROR line on the logs topic, keyed by execution id, with the task id the relay looked up', () => {
    const failed = recorded({ type: 'TaskRunFailed', data: { taskRunId: 'e1.0', attempt: 1, error: 'Task failure', at: AT } });
    expect(needsIntentContext(failed)).toBe(true);
    expect(consumedIntentsOf(failed, topics, { taskId: 'failed' })).toEqual([
      {
        topic: 'test.logs',
        message: {
          key: 'e1',
          value: { executionId: 'e1', taskRunId: 'e1.0', taskId: 'failed', level: 'ERROR', message: 'Task failure', timestamp: AT },
          headers: expect.objectContaining({ 'chronicle-causation-id': failed.id }),
        },
      },
    ]);
    // A retried or allowed failure is still a failure of that attempt.
    expect(isLoggedFailure(recorded({ type: 'TaskRunFailed', data: { taskRunId: 'e1.0', attempt: 1, error: 'x', taskRunState: 'RETRYING', at: AT } }))).toBe(true);
  });

  it('a task run failed by the decider logs its own error; a parent carrying up its child failure, a kill or another state logs nothing', () => {
    const changed = (data: object) => recorded({ type: 'TaskRunStateChanged', data: { taskRunId: 'e1.0', at: AT, ...data } });
    expect(failureLogOf(changed({ state: 'FAILED', error: 'no values' }), 'each')).toEqual({
      executionId: 'e1', taskRunId: 'e1.0', taskId: 'each', level: 'ERROR', message: 'no values', timestamp: AT,
    });
    for (const data of [{ state: 'FAILED', error: 'task a failed: boom', causeTaskRunId: 'e1.1' }, { state: 'KILLED', error: 'killed' }, { state: 'RUNNING' }, { state: 'FAILED' }]) {
      expect(isLoggedFailure(changed(data))).toBe(false);
      expect(consumedIntentsOf(changed(data), topics)).toEqual([]);
    }
  });

  it('a ForEach over a null fails in the decider, no worker involved: exactly one ERROR line, with its message', () => {
    const lines = logLines(decided(`id: f
namespace: n
tasks:
  - id: each
    type: ForEach
    values: '[1, null]'
    tasks:
      - id: a
        type: Log
        message: a
`));
    expect(lines).toHaveLength(1);
    expect(lines[0]!.message.value).toMatchObject({ level: 'ERROR', message: expect.stringContaining("Found '1' null values on Each") });
  });

  it('a failing task inside Sequential: one line for its attempt, none for the parent that fails with it', () => {
    const lines = logLines(decided(`id: f
namespace: n
tasks:
  - id: seq
    type: Sequential
    tasks:
      - id: a
        type: Log
        message: a
`));
    expect(lines.map((l) => (l.message.value as { message: string }).message)).toEqual(['boom']);
  });
});
