import { describe, expect, it } from 'vitest';
import { Scenario, T } from '../testing/execution-scenario.js';

describe('retries', () => {
  const retried = (retry: string, extra = '') => `id: f\nnamespace: n\ntasks:\n  - id: a\n    type: Log\n    message: a\n${extra}    retry: ${retry}\n`;

  it('retries on the same task run after a durable timer, counting every attempt', () => {
    const s = new Scenario(retried('{ type: constant, interval: PT5S, maxAttempt: 3 }'));
    s.advance();
    const failed = s.fail('a', 'boom', T(2));
    expect(failed.slice(-2)).toEqual([
      { type: 'TaskRunFailed', data: { taskRunId: 'e.0', attempt: 1, error: 'boom', taskRunState: 'RETRYING', at: T(2) } },
      { type: 'TimerScheduled', data: { timerId: 'e.0:retry:2', fireAt: T(7), purpose: 'retry', taskRunId: 'e.0', at: T(2) } },
    ]);
    const fired = s.fire('e.0:retry:2', T(7));
    expect(fired[1]).toMatchObject({ type: 'TaskRunAttemptCreated', data: { taskRunId: 'e.0', attempt: 2, job: { attempt: 2, properties: { message: 'a' } } } });
    s.fail('a', 'boom', T(8), 2);
    s.fire('e.0:retry:3', T(13));
    s.fail('a', 'boom', T(14), 3);
    expect(s.run('a').attempts.map((a) => a.state)).toEqual(['FAILED', 'FAILED', 'FAILED']);
    expect(s.execution.state).toBe('FAILED');
  });

  it('ends WARNING with warningOnRetry; taskrun.attemptsCount counts the attempts before', () => {
    const s = new Scenario(retried('{ type: constant, interval: PT1S, maxAttempt: 3, warningOnRetry: true }').replace('message: a', 'message: "try {{ taskrun.attemptsCount }}"'));
    s.advance();
    s.fail('a');
    const fired = s.fire('e.0:retry:2', T(4));
    expect(fired[1]).toMatchObject({ data: { job: { properties: { message: 'try 1' } } } });
    s.complete('a', {}, T(5), 2);
    expect(s.run('a').state).toBe('WARNING');
    expect(s.execution.state).toBe('WARNING');
  });

  it('applies a flowable retry to its children and the flow retry to tasks without one', () => {
    const s = new Scenario(`id: f
namespace: n
retry: { type: constant, interval: PT1S, maxAttempt: 2 }
tasks:
  - id: seq
    type: Sequential
    retry: { type: exponential, interval: PT1S, maxInterval: PT10S, maxAttempt: 3 }
    tasks: [{ id: a, type: Log, message: a }]
  - { id: b, type: Log, message: b }
`);
    s.advance();
    s.fail('a', 'x', T(2));
    expect(s.execution.timers).toEqual([{ timerId: 'e.1:retry:2', fireAt: T(3), purpose: 'retry', taskRunId: 'e.1' }]);
    s.fire('e.1:retry:2', T(3));
    s.fail('a', 'x', T(4), 2);
    expect(s.execution.timers[0]).toMatchObject({ timerId: 'e.1:retry:3', fireAt: T(6) });
    s.fire('e.1:retry:3', T(6));
    s.complete('a', {}, T(7), 3);
    s.fail('b', 'y', T(8));
    expect(s.execution.timers[0]).toMatchObject({ timerId: 'e.2:retry:2', fireAt: T(9) });
  });

  it('allowFailure applies once retries are exhausted', () => {
    const s = new Scenario(retried('{ type: constant, interval: PT1S, maxAttempt: 2 }', '    allowFailure: true\n'));
    s.advance();
    s.fail('a');
    s.fire('e.0:retry:2', T(3));
    s.fail('a', 'boom', T(4), 2);
    expect(s.run('a').state).toBe('WARNING');
    expect(s.execution.state).toBe('WARNING');
  });

  it('flow retry CREATE_NEW_EXECUTION ends the execution RETRIED and asks for the next one', () => {
    const s = new Scenario(`id: f\nnamespace: n\nretry: { behavior: CREATE_NEW_EXECUTION, type: constant, interval: PT30S, maxAttempt: 2 }\ntasks: [{ id: a, type: Log, message: a }]\n`);
    s.advance();
    const events = s.fail('a', 'boom', T(2));
    expect(events.slice(-3)).toEqual([
      { type: 'ExecutionStateChanged', data: { state: 'RETRYING', error: 'task a failed: boom', at: T(2) } },
      {
        type: 'ExecutionRetryRequested',
        // Kestra's ExecutionService.nextRetryDate: the interval counts from the execution's last state change (RUNNING at T(1)).
        data: { newExecutionId: 'e.retry.2', originalId: 'e', namespace: 'n', flowId: 'f', flowRevision: 1, inputs: {}, labels: {}, attemptNumber: 2, notBefore: T(31), at: T(2) },
      },
      { type: 'ExecutionStateChanged', data: { state: 'RETRIED', error: 'task a failed: boom', at: T(2) } },
    ]);
    expect(s.run('a').attempts).toHaveLength(1);
  });

  it('flow retry CREATE_NEW_EXECUTION stops once the next date is past the first creation plus maxDuration (retry-new-execution-flow-duration.yml)', () => {
    const flow = `id: f\nnamespace: n\nretry: { behavior: CREATE_NEW_EXECUTION, type: constant, interval: PT2S, maxDuration: PT6S }\ntasks: [{ id: a, type: Log, message: a }]\n`;
    const s = new Scenario(flow);
    s.advance();
    // Running since T(1): the next one would start at T(3), within T(0) + 6 s.
    expect(s.fail('a', 'boom', T(2)).map((e) => e.type)).toContain('ExecutionRetryRequested');
    expect(s.execution.state).toBe('RETRIED');
    // The third of the chain, created 4 s after the first: running since T(1), its next would start at T(3) > T(-4) + 6 s.
    const third = new Scenario(flow, {}, 'e', false, { attemptNumber: 3, originalCreatedDate: T(-4) });
    third.advance();
    expect(third.fail('a', 'boom', T(2)).map((e) => e.type)).not.toContain('ExecutionRetryRequested');
    expect(third.execution.state).toBe('FAILED');
  });
});

describe('restart', () => {
  it('re-runs the failed task runs in the same execution, reopening their parents', () => {
    const s = new Scenario(`id: f\nnamespace: n\ntasks:\n  - id: seq\n    type: Sequential\n    tasks: [{ id: a, type: Log, message: a }, { id: b, type: Log, message: b }]\n`);
    s.advance();
    s.complete('a');
    s.fail('b', 'boom', T(3));
    expect(s.execution.state).toBe('FAILED');
    s.when({ type: 'RestartExecution', executionId: 'e', now: T(4) });
    expect(s.states()).toEqual(['seq:RUNNING', 'a:SUCCESS', 'b:RUNNING']);
    expect(s.execution.stateHistory.map((h) => h.state)).toEqual(['CREATED', 'RUNNING', 'FAILED', 'RESTARTED', 'RUNNING']);
    s.complete('b', {}, T(5), 2);
    expect(s.execution.state).toBe('SUCCESS');
    expect(s.run('b').attempts.map((a) => a.state)).toEqual(['FAILED', 'SUCCESS']);
    expect(s.when({ type: 'RestartExecution', executionId: 'e', now: T(6) })).toEqual([]);
  });
});
