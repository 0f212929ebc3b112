import { describe, expect, it } from 'vitest';
import { Scenario, T } from '../testing/execution-scenario.js';
import type { TaskJob } from './task-job.js';

// Kestra: core/src/test/resources/flows/valids/log-to-file.yaml and
// core/src/test/java/io/kestra/core/runners/LogToFileTest.java (the attempt's logFile is set).
const LOG_TO_FILE = 'id: log-to-file\nnamespace: io.kestra.tests\ntasks:\n  - id: hello\n    type: io.kestra.plugin.core.log.Log\n    message: Hello World!\n    logToFile: true\n';

const jobOf = (events: readonly { type: string; data: unknown }[]): TaskJob | undefined =>
  (events.find((e) => e.type === 'TaskRunCreated')?.data as { job?: TaskJob } | undefined)?.job;

describe('logToFile (Kestra Task.logToFile)', () => {
  it('sends the task to the worker (never run in the decider) with its flow, so the worker can write the file', () => {
    const s = new Scenario(LOG_TO_FILE, {}, 'e', true);
    const job = jobOf(s.advance());
    expect(job).toMatchObject({ type: 'Log', logToFile: true, flow: { namespace: 'io.kestra.tests', flowId: 'log-to-file' } });
    expect(job).not.toHaveProperty('local');
    // The same Log without logToFile runs in the decider.
    const plain = new Scenario(LOG_TO_FILE.replace('    logToFile: true\n', ''), {}, 'e', true);
    expect(plain.execution.state).toBe('CREATED');
    expect(jobOf(plain.advance())).toMatchObject({ local: true });
  });

  it('records the logFile the worker reports on the attempt (LogToFileTest: attempt.getLogFile() is set)', () => {
    const s = new Scenario(LOG_TO_FILE);
    s.advance();
    const run = s.run('hello');
    s.when({ type: 'StartTaskRun', executionId: 'e', taskRunId: run.id, attempt: 1, workerId: 'w', now: T(2) });
    const logFile = 'kestra:///io/kestra/tests/log-to-file/executions/e/tasks/hello/e.0/log-abcde.txt';
    const events = s.when({ type: 'CompleteTaskRun', executionId: 'e', taskRunId: run.id, attempt: 1, outputs: {}, logFile, now: T(3) });
    expect(events.find((e) => e.type === 'TaskRunSucceeded')?.data).toMatchObject({ logFile });
    expect(s.run('hello').attempts).toEqual([{ number: 1, state: 'SUCCESS', startDate: T(2), endDate: T(3), logFile }]);
    expect(s.execution.state).toBe('SUCCESS');
  });

  it('keeps the logFile of a failed attempt too', () => {
    const s = new Scenario(LOG_TO_FILE);
    s.advance();
    const run = s.run('hello');
    s.when({ type: 'StartTaskRun', executionId: 'e', taskRunId: run.id, attempt: 1, workerId: 'w', now: T(2) });
    s.when({ type: 'FailTaskRun', executionId: 'e', taskRunId: run.id, attempt: 1, error: 'boom', logFile: 'kestra:///x/log-aaaaa.txt', now: T(3) });
    expect(s.run('hello').attempts[0]).toMatchObject({ state: 'FAILED', logFile: 'kestra:///x/log-aaaaa.txt' });
  });
});
