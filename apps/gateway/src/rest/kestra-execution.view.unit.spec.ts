import { describe, expect, it } from 'vitest';
import type { Execution } from '@chronicle/domain';
import { isoDuration, toKestraExecution } from './kestra-execution.view.js';
import { publicBaseUrl } from './public-url.js';

const killed: Execution = {
  id: 'e1', namespace: 'n', flowId: 'f', flowRevision: 1, state: 'KILLED',
  stateHistory: [{ state: 'CREATED', date: '2026-01-01T00:00:00.000Z' }, { state: 'KILLED', date: '2026-01-01T00:01:01.500Z' }],
  inputs: {}, labels: { team: 'ops' }, originalId: 'e1', attemptNumber: 1, timers: [], revision: 5,
  startDate: '2026-01-01T00:00:00.000Z', endDate: '2026-01-01T00:01:01.500Z', killReason: 'the execution exceeded its maxRuntime PT1M',
  options: { priority: 3, maxRuntime: 'PT1M', name: 'copy', startedBy: { kind: 'token', id: 'ci' }, message: 'copying' },
  taskRuns: [{
    id: 'e1.0', taskId: 'a', state: 'KILLED', stateHistory: [], startDate: '2026-01-01T00:00:01.000Z', endDate: '2026-01-01T00:00:03.250Z',
    attempts: [{ number: 1, state: 'FAILED', startDate: '2026-01-01T00:00:01.000Z', endDate: '2026-01-01T00:00:02.000Z', error: 'x' }, { number: 2, state: 'KILLED', startDate: '2026-01-01T00:00:02.000Z' }],
  }],
};

describe("the Kestra REST answer carries the whole record", () => {
  it('has the monitor url, attempt numbers, durations, the kill reason as error and the run options', () => {
    const answer = toKestraExecution(killed, 'http://gw:8080');
    expect(answer.url).toBe('http://gw:8080/executions/e1');
    expect(answer.error).toBe('the execution exceeded its maxRuntime PT1M');
    expect(answer.state.duration).toBe('PT1M1.5S');
    expect(answer.taskRunList[0]!.state.duration).toBe('PT2.25S');
    expect(answer.taskRunList[0]!.attempts.map((a) => a.attempt)).toEqual([1, 2]);
    expect(answer.taskRunList[0]!.attempts[0]!.state.duration).toBe('PT1S');
    expect(answer).toMatchObject({ priority: 3, maxRuntime: 'PT1M', name: 'copy', message: 'copying', startedBy: { kind: 'token', id: 'ci' }, scheduleDate: null });
  });

  it('links under CHRONICLE_PUBLIC_URL when it is set', () => {
    expect(publicBaseUrl('http://10.0.0.5:8080', { CHRONICLE_PUBLIC_URL: 'https://chronicle.example.com/' })).toBe('https://chronicle.example.com');
    expect(publicBaseUrl('http://10.0.0.5:8080', {})).toBe('http://10.0.0.5:8080');
  });

  it('writes durations as ISO-8601', () => {
    expect(isoDuration('2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')).toBe('PT0S');
    expect(isoDuration('2026-01-01T00:00:00Z', '2026-01-01T02:00:00Z')).toBe('PT2H');
  });
});
