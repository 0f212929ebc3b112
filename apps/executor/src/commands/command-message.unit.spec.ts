import { PoisonMessageError } from '@chronicle/messaging';
import { describe, expect, it } from 'vitest';
import { parseCommandMessage } from './command-message.js';

const NOW = '2025-01-01T00:00:00.000Z';
const start = { type: 'StartTaskRun', executionId: 'e1', taskRunId: 'e1.0', attempt: 1, now: NOW };

function poisonReason(value: unknown): string {
  try {
    parseCommandMessage(value);
  } catch (error) {
    expect(error).toBeInstanceOf(PoisonMessageError);
    return (error as PoisonMessageError).reason;
  }
  throw new Error(`expected ${JSON.stringify(value)} to be rejected as poison`);
}

describe('parseCommandMessage', () => {
  it('accepts every command the bus carries, unchanged', () => {
    const commands = [
      { type: 'AdvanceExecution', executionId: 'e1', now: NOW },
      { ...start, workerId: 'w1' },
      { ...start, type: 'CompleteTaskRun', outputs: { values: { a: 1 } } },
      { ...start, type: 'FailTaskRun', error: 'boom' },
      { ...start, type: 'FailTaskRun', error: 'task run killed: x', killed: true },
      { type: 'KillExecution', executionId: 'e1', reason: 'operator', now: NOW },
      { type: 'PauseExecution', executionId: 'e1', now: NOW },
      { type: 'ResumeExecution', executionId: 'e1', approve: false, now: NOW },
      { type: 'RestartExecution', executionId: 'e1', now: NOW },
      { type: 'FireTimer', executionId: 'e1', timerId: 'e1.0/retry/1', now: NOW },
      { type: 'ChildExecutionEnded', executionId: 'e1', childExecutionId: 'c1', taskRunId: 'e1.0', state: 'FAILED', now: NOW },
      { ...start, type: 'ReportTaskRunAlive', workerId: 'w1' },
      { ...start, type: 'ExpireTaskRunLease' },
      { ...start, type: 'CompleteTaskRun', outputs: {}, metrics: [{ name: 'rows', type: 'counter', value: 2 }] },
    ];
    for (const command of commands) expect(parseCommandMessage(command)).toEqual(command);
  });

  it.each([
    ['null', null, /not a JSON object/],
    ['a string', 'AdvanceExecution', /not a JSON object/],
    ['a number', 42, /not a JSON object/],
    ['no type', { executionId: 'e1', now: NOW }, /unknown command type undefined/],
    ['an unknown type', { type: 'TeleportExecution', executionId: 'e1', now: NOW }, /unknown command type "TeleportExecution".*AdvanceExecution/],
    ['FireTimer without timerId', { type: 'FireTimer', executionId: 'e1', now: NOW }, /FireTimer has no timerId/],
    ['ChildExecutionEnded without its child', { type: 'ChildExecutionEnded', executionId: 'e1', taskRunId: 'e1.0', state: 'SUCCESS', now: NOW }, /ChildExecutionEnded has no childExecutionId/],
    ['ExpireTaskRunLease without attempt', { type: 'ExpireTaskRunLease', executionId: 'e1', taskRunId: 'e1.0', now: NOW }, /ExpireTaskRunLease has no attempt/],
    ['ReportTaskRunAlive without attempt', { type: 'ReportTaskRunAlive', executionId: 'e1', taskRunId: 'e1.0', workerId: 'w', now: NOW }, /ReportTaskRunAlive has no attempt/],
    ['CreateExecution, which never travels on the bus', { type: 'CreateExecution', executionId: 'e1', now: NOW }, /"CreateExecution"/],
    ['no executionId', { type: 'AdvanceExecution', now: NOW }, /no executionId/],
    ['an empty executionId', { type: 'AdvanceExecution', executionId: '', now: NOW }, /no executionId/],
    ['a numeric executionId', { type: 'AdvanceExecution', executionId: 7, now: NOW }, /no executionId/],
    ['no now', { type: 'AdvanceExecution', executionId: 'e1' }, /no `now`/],
    ['a task report without taskRunId', { ...start, taskRunId: undefined }, /StartTaskRun has no taskRunId/],
    ['a task report without attempt', { ...start, type: 'CompleteTaskRun', attempt: '1', outputs: {} }, /CompleteTaskRun has no attempt/],
    ['CompleteTaskRun without outputs', { ...start, type: 'CompleteTaskRun' }, /CompleteTaskRun has no outputs object/],
    ['CompleteTaskRun with list outputs', { ...start, type: 'CompleteTaskRun', outputs: [1] }, /CompleteTaskRun has no outputs object/],
    ['FailTaskRun without error', { ...start, type: 'FailTaskRun' }, /FailTaskRun has no error message/],
  ])('rejects %s as poison with a reason naming the problem', (_case, value, reason) => {
    expect(poisonReason(value)).toMatch(reason);
  });
});
