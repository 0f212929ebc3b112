import { PoisonMessageError } from '@chronicle/messaging';
import { describe, expect, it } from 'vitest';
import { commandMessage, parseCommandsMessage as parseCommandMessage } from './commands.js';

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

describe('the commands contract', () => {
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
    ['no type', { executionId: 'e1', now: NOW }, /unknown command type undefined; expected one of AdvanceExecution/],
    ['an unknown type', { type: 'TeleportExecution', executionId: 'e1', now: NOW }, /unknown command type "TeleportExecution".*AdvanceExecution/],
    ['FireTimer without timerId', { type: 'FireTimer', executionId: 'e1', now: NOW }, /FireTimer: timerId: /],
    ['ChildExecutionEnded without its child', { type: 'ChildExecutionEnded', executionId: 'e1', taskRunId: 'e1.0', state: 'SUCCESS', now: NOW }, /ChildExecutionEnded: childExecutionId: /],
    ['ExpireTaskRunLease without attempt', { type: 'ExpireTaskRunLease', executionId: 'e1', taskRunId: 'e1.0', now: NOW }, /ExpireTaskRunLease: attempt: /],
    ['ReportTaskRunAlive without attempt', { type: 'ReportTaskRunAlive', executionId: 'e1', taskRunId: 'e1.0', workerId: 'w', now: NOW }, /ReportTaskRunAlive: attempt: /],
    ['CreateExecution, which never travels on the bus', { type: 'CreateExecution', executionId: 'e1', now: NOW }, /"CreateExecution"/],
    ['no executionId', { type: 'AdvanceExecution', now: NOW }, /AdvanceExecution: executionId: /],
    ['an empty executionId', { type: 'AdvanceExecution', executionId: '', now: NOW }, /AdvanceExecution: executionId: /],
    ['a numeric executionId', { type: 'AdvanceExecution', executionId: 7, now: NOW }, /AdvanceExecution: executionId: /],
    ['no now', { type: 'AdvanceExecution', executionId: 'e1' }, /AdvanceExecution: now: /],
    ['a task report without taskRunId', { ...start, taskRunId: undefined }, /StartTaskRun: taskRunId: /],
    ['a task report without attempt', { ...start, type: 'CompleteTaskRun', attempt: '1', outputs: {} }, /CompleteTaskRun: attempt: /],
    ['CompleteTaskRun without outputs', { ...start, type: 'CompleteTaskRun' }, /CompleteTaskRun: outputs: must be an object of outputs/],
    ['CompleteTaskRun with list outputs', { ...start, type: 'CompleteTaskRun', outputs: [1] }, /CompleteTaskRun: outputs: must be an object of outputs/],
    ['FailTaskRun without error', { ...start, type: 'FailTaskRun' }, /FailTaskRun: error: /],
  ])('rejects %s as poison with a reason naming the problem', (_case, value, reason) => {
    expect(poisonReason(value)).toMatch(reason);
  });

  it('reads a message from an older build, which has no schemaVersion, as version 1; a stamped one the same', () => {
    const unversioned = { type: 'KillExecution', executionId: 'e1', now: NOW };
    expect(parseCommandMessage(unversioned)).toEqual(unversioned);
    expect(commandMessage(unversioned as never)).toEqual({ ...unversioned, schemaVersion: 1 });
    expect(parseCommandMessage({ ...unversioned, schemaVersion: 1 })).toEqual(unversioned);
  });

  it('refuses a message of a schemaVersion this build does not read, naming the version', () => {
    expect(poisonReason({ type: 'KillExecution', executionId: 'e1', now: NOW, schemaVersion: 2 })).toMatch(/commands: unknown schemaVersion 2; this build reads version 1/);
    expect(poisonReason({ type: 'KillExecution', executionId: 'e1', now: NOW, schemaVersion: '1' })).toMatch(/unknown schemaVersion "1"/);
  });

  it('reads the creation and slot-release messages of the same topic', () => {
    const child = { type: 'CreateRetryExecution', retriedExecutionId: 'a', newExecutionId: 'b', originalId: 'a', namespace: 'n', flowId: 'f', flowRevision: 1, inputs: {}, labels: {}, attemptNumber: 2, notBefore: NOW };
    expect(parseCommandMessage(child)).toEqual(child);
    expect(poisonReason({ ...child, newExecutionId: '' })).toMatch(/CreateRetryExecution: newExecutionId: /);
    expect(poisonReason({ type: 'ReleaseConcurrencySlot', executionId: 'e', namespace: 'n', flowId: 'f', concurrencyKey: '', limit: 0, endedAt: NOW })).toMatch(/ReleaseConcurrencySlot: limit: /);
  });
});
