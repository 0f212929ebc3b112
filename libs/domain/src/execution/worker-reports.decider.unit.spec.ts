import { describe, expect, it } from 'vitest';
import { DeciderSpecification } from '../testing/decider-specification.js';
import { Scenario, T } from '../testing/execution-scenario.js';
import { executionDecider } from './execution.decider.js';
import type { ExecutionCreated, TaskRunAttemptCreated, TaskRunCreated } from './execution.events.js';
import { CORE_TASK_CATALOG } from '../task-types/core-task-catalog.js';

const spec = DeciderSpecification.for(executionDecider);
const twoLogs = `id: f\nnamespace: n\ntasks:\n  - { id: a, type: Log, message: a }\n  - { id: b, type: Log, message: b }\n`;

describe('ExpireTaskRunLease (a worker went silent)', () => {
  it('given a running attempt, when its lease expires, then it fails as "worker lost" and a new attempt is dispatched', () => {
    const s = new Scenario(twoLogs);
    s.advance();
    s.when({ type: 'StartTaskRun', executionId: 'e', taskRunId: 'e.0', attempt: 1, workerId: 'w1', now: T(2) });
    const error = 'worker lost (lease expired): attempt 1 is taken over';
    spec.given(s.history).when({ type: 'ExpireTaskRunLease', executionId: 'e', taskRunId: 'e.0', attempt: 1, now: T(9) }, { taskTypes: CORE_TASK_CATALOG, flow: s.flow, localTasks: false }).then([
      { type: 'TaskRunKillRequested', data: { taskRunId: 'e.0', attempt: 1, at: T(9) } },
      { type: 'TaskRunFailed', data: { taskRunId: 'e.0', attempt: 1, error, taskRunState: 'RETRYING', at: T(9) } },
      {
        type: 'TaskRunAttemptCreated',
        data: {
          taskRunId: 'e.0', attempt: 2, at: T(9),
          job: { executionId: 'e', taskRunId: 'e.0', taskId: 'a', attempt: 2, type: 'Log', properties: { message: 'a' } },
        },
      },
    ]);
  });

  it('takes over whatever the retry policy says, and the history shows both attempts', () => {
    const s = new Scenario(`${twoLogs.replace('message: a }', 'message: a, retry: { type: constant, interval: PT1M, maxAttempt: 1 } }')}`);
    s.advance();
    s.when({ type: 'StartTaskRun', executionId: 'e', taskRunId: 'e.0', attempt: 1, now: T(2) });
    s.when({ type: 'ExpireTaskRunLease', executionId: 'e', taskRunId: 'e.0', attempt: 1, now: T(9) });
    s.when({ type: 'StartTaskRun', executionId: 'e', taskRunId: 'e.0', attempt: 2, now: T(10) });
    s.complete('a', { done: true }, T(11), 2);
    expect(s.run('a').attempts.map((a) => `${a.number}:${a.state}`)).toEqual(['1:FAILED', '2:SUCCESS']);
    expect(s.run('a').attempts[0]!.error).toMatch(/worker lost/);
    expect(s.states()).toEqual(['a:SUCCESS', 'b:CREATED']);
  });

  it('is stale for another attempt, an attempt not started, an ended task run or a duplicate', () => {
    const s = new Scenario(twoLogs);
    s.advance();
    const expire = (attempt: number, now = T(9)) => s.when({ type: 'ExpireTaskRunLease', executionId: 'e', taskRunId: 'e.0', attempt, now });
    expect(expire(1)).toEqual([]); // CREATED: no worker holds it yet
    s.when({ type: 'StartTaskRun', executionId: 'e', taskRunId: 'e.0', attempt: 1, now: T(2) });
    expect(expire(2)).toEqual([]);
    expect(expire(1)).toHaveLength(3);
    expect(expire(1, T(10))).toEqual([]);
    // The lost worker's late result is for attempt 1: stale.
    expect(s.complete('a', {}, T(11), 1)).toEqual([]);
    expect(s.when({ type: 'ExpireTaskRunLease', executionId: 'e', taskRunId: 'e.99', attempt: 1, now: T(12) })).toEqual([]);
  });

  it('while PAUSED the new attempt waits for the resume; while KILLING the task run ends KILLED', () => {
    const paused = new Scenario(twoLogs);
    paused.advance();
    paused.when({ type: 'StartTaskRun', executionId: 'e', taskRunId: 'e.0', attempt: 1, now: T(2) });
    paused.when({ type: 'PauseExecution', executionId: 'e', now: T(3) });
    const events = paused.when({ type: 'ExpireTaskRunLease', executionId: 'e', taskRunId: 'e.0', attempt: 1, now: T(9) });
    expect(events.map((e) => e.type)).toEqual(['TaskRunKillRequested', 'TaskRunFailed']);
    const resumed = paused.when({ type: 'ResumeExecution', executionId: 'e', now: T(10) });
    expect(resumed.filter((e): e is TaskRunAttemptCreated => e.type === 'TaskRunAttemptCreated').map((e) => e.data.attempt)).toEqual([2]);

    const killing = new Scenario(twoLogs);
    killing.advance();
    killing.when({ type: 'StartTaskRun', executionId: 'e', taskRunId: 'e.0', attempt: 1, now: T(2) });
    killing.when({ type: 'KillExecution', executionId: 'e', now: T(3) });
    killing.when({ type: 'ExpireTaskRunLease', executionId: 'e', taskRunId: 'e.0', attempt: 1, now: T(9) });
    expect(killing.execution.state).toBe('KILLED');
    expect(killing.states()).toEqual(['a:KILLED']);
  });
});

describe('worker reports: metrics and killed attempts', () => {
  it('stores the metrics with the attempt that reported them', () => {
    const s = new Scenario(`${twoLogs.replace('message: a }', 'message: a, retry: { type: constant, interval: PT1S, maxAttempt: 3 } }')}`);
    s.advance();
    const counter = { name: 'rows', type: 'counter' as const, value: 3, tags: { table: 't' } };
    const timer = { name: 'duration', type: 'timer' as const, value: 12 };
    const failed = s.when({ type: 'FailTaskRun', executionId: 'e', taskRunId: 'e.0', attempt: 1, error: 'x', metrics: [timer], now: T(2) });
    expect(failed[1]).toMatchObject({ type: 'TaskRunFailed', data: { metrics: [timer], taskRunState: 'RETRYING' } });
    s.fire('e.0:retry:2', T(3));
    const done = s.when({ type: 'CompleteTaskRun', executionId: 'e', taskRunId: 'e.0', attempt: 2, outputs: {}, metrics: [counter], now: T(4) });
    expect(done.find((e) => e.type === 'TaskRunSucceeded')).toMatchObject({ data: { metrics: [counter] } });
    expect(s.run('a').attempts.map((a) => a.metrics)).toEqual([[timer], [counter]]);
  });

  it('ends a killed attempt KILLED, without a retry, and the flow goes on to fail', () => {
    const s = new Scenario(`${twoLogs.replace('message: a }', 'message: a, retry: { type: constant, interval: PT1S, maxAttempt: 3 } }')}`);
    s.advance();
    s.when({ type: 'StartTaskRun', executionId: 'e', taskRunId: 'e.0', attempt: 1, now: T(2) });
    s.when({ type: 'FailTaskRun', executionId: 'e', taskRunId: 'e.0', attempt: 1, error: 'task run killed: timeout', killed: true, now: T(3) });
    expect(s.run('a')).toMatchObject({ state: 'KILLED', attempts: [{ number: 1, state: 'KILLED' }] });
    expect(s.execution.state).toBe('FAILED');
  });
});

describe('job context, concurrency facts, restarted timeout', () => {
  it('records the flow concurrency limit at creation (the pool the execution takes a slot of)', () => {
    const flow = new Scenario(`${twoLogs}concurrency: { limit: 2, behavior: QUEUE, key: "{{ inputs.c ?? 'x' }}" }\n`).flow;
    const [created] = executionDecider.decide({ type: 'CreateExecution', executionId: 'e2', flow, inputs: {}, now: T(0) }, undefined) as [ExecutionCreated];
    expect(created.data).toMatchObject({ concurrencyLimit: 2, concurrencyKey: 'x' });
  });

  it('re-arms the flow timeout when a failed execution is restarted', () => {
    const s = new Scenario(`${twoLogs}timeout: PT1M\n`);
    s.advance();
    s.fail('a', 'boom', T(2));
    expect(s.execution.state).toBe('FAILED');
    const restarted = s.when({ type: 'RestartExecution', executionId: 'e', now: T(30) });
    expect(restarted).toContainEqual({ type: 'TimerScheduled', data: { timerId: 'e:timeout:1', fireAt: '2025-01-01T00:01:30.000Z', purpose: 'timeout', at: T(30) } });
    s.fire('e:timeout:1', T(59));
    expect(s.execution).toMatchObject({ state: 'KILLED', killReason: 'the execution exceeded the flow timeout PT1M' });
  });
});

describe('ChildExecutionEnded with an error', () => {
  const parent = `id: p\nnamespace: n\ntasks:\n  - { id: sub, type: Subflow, namespace: n, flowId: c, transmitFailed: false }\n`;

  it('fails the Subflow task run when the child could not be created, whatever transmitFailed says', () => {
    const s = new Scenario(parent);
    s.advance();
    const run = s.run('sub');
    s.when({
      type: 'ChildExecutionEnded', executionId: 'e', childExecutionId: run.childExecutionId!, taskRunId: run.id, state: 'FAILED',
      error: 'child execution of n.c could not start: flow n.c not found', notCreated: true, now: T(3),
    });
    expect(s.run('sub')).toMatchObject({ state: 'FAILED', error: 'child execution of n.c could not start: flow n.c not found' });
    expect(s.execution.state).toBe('FAILED');
  });

  it('names the child error when transmitFailed fails the task run', () => {
    const s = new Scenario(parent.replace('transmitFailed: false', 'transmitFailed: true'));
    s.advance();
    const run = s.run('sub');
    s.when({ type: 'ChildExecutionEnded', executionId: 'e', childExecutionId: run.childExecutionId!, taskRunId: run.id, state: 'FAILED', error: 'task f failed: no', now: T(3) });
    expect(s.run('sub').error).toBe(`subflow execution ${run.childExecutionId} ended FAILED: task f failed: no`);
  });
});
