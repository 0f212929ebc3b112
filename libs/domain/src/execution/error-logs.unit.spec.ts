import { describe, expect, it } from 'vitest';
import { Scenario, T } from '../testing/execution-scenario.js';
import { errorLogsOf } from './error-logs.js';

describe('errorLogsOf (what errorLogs() returns)', () => {
  it('has one line per failed attempt, and none for a parent that only carries up its child failure', () => {
    const s = new Scenario(`id: f
namespace: n
tasks:
  - id: seq
    type: Sequential
    tasks:
      - id: a
        type: Log
        message: a
        retry: { type: constant, interval: PT1S, maxAttempt: 2 }
`);
    s.advance();
    s.fail('a', 'first try', T(2));
    s.fire('e.1:retry:2', T(3));
    s.fail('a', 'second try', T(4), 2);
    expect(s.run('seq')).toMatchObject({ state: 'FAILED', error: 'task a failed: second try', causeTaskRunId: 'e.1' });
    expect(errorLogsOf(s.execution)).toEqual([
      { namespace: 'n', flowId: 'f', executionId: 'e', taskId: 'a', taskRunId: 'e.1', attemptNumber: 1, level: 'ERROR', message: 'first try', timestamp: T(2) },
      { namespace: 'n', flowId: 'f', executionId: 'e', taskId: 'a', taskRunId: 'e.1', attemptNumber: 2, level: 'ERROR', message: 'second try', timestamp: T(4) },
    ]);
  });

  it('has a line for a task run the decider failed on its own (a ForEach over a null)', () => {
    const s = new Scenario(`id: f
namespace: n
tasks:
  - id: each
    type: ForEach
    values: '[1, null]'
    tasks:
      - id: a
        type: Log
        message: a
`);
    s.advance();
    expect(s.execution.state).toBe('FAILED');
    expect(errorLogsOf(s.execution)).toEqual([
      expect.objectContaining({ taskId: 'each', level: 'ERROR', message: expect.stringContaining("Found '1' null values on Each") }),
    ]);
  });
});
