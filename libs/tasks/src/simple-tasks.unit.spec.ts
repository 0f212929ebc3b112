import { describe, expect, it } from 'vitest';
import { echoTask } from './debug/echo.task.js';
import { failTask } from './execution/fail.task.js';
import { logTask } from './log/log.task.js';
import { runnerOf } from './catalog.js';
import { taskContext } from './test-support/task-test-context.js';

describe('Fail', () => {
  it('fails with errorMessage, or Kestra\'s default message, when there is no condition', async () => {
    await expect(failTask(taskContext('Fail', { errorMessage: 'stop here' }).context)).rejects.toThrow('stop here');
    await expect(failTask(taskContext('Fail', {}).context)).rejects.toThrow('Task failure');
  });

  it('fails only when the rendered condition is truthy (Kestra: false, 0, -0 and blank are false)', async () => {
    // Kestra compares the exact (trimmed) text: "FALSE" is true.
    for (const condition of ['true', 'yes', '1', ' anything ', ' FALSE ', true, 2, null]) {
      await expect(failTask(taskContext('Fail', { condition, errorMessage: 'x' }).context)).rejects.toThrow('x');
    }
    for (const condition of ['false', ' false ', '0', '-0', '', '  ', false, 0]) {
      await expect(failTask(taskContext('Fail', { condition, errorMessage: 'x' }).context)).resolves.toEqual({});
    }
  });
});

describe('Return, Echo and Log', () => {
  it('Return outputs its rendered format as value; OutputValues its values, and fails without a map', async () => {
    const returnTask = runnerOf('Return')!;
    const outputValuesTask = runnerOf('OutputValues')!;
    await expect(outputValuesTask(taskContext('OutputValues', { values: { a: 1 } }).context)).resolves.toEqual({ values: { a: 1 } });
    await expect(outputValuesTask(taskContext('OutputValues', { values: 'x' }).context)).rejects.toThrow('values must be a map of names to values');
    await expect(returnTask(taskContext('Return', { format: 't1 > 2025-01-01' }).context)).resolves.toEqual({ value: 't1 > 2025-01-01' });
    await expect(returnTask(taskContext('Return', {}).context)).resolves.toEqual({ value: null });
  });

  it('Echo logs its format at its level (INFO by default) and outputs nothing', async () => {
    const info = taskContext('Echo', { format: 'hello' });
    await expect(echoTask(info.context)).resolves.toEqual({});
    const warn = taskContext('Echo', { format: 'careful', level: 'warn' });
    await echoTask(warn.context);
    expect([...info.logs, ...warn.logs]).toEqual([{ level: 'INFO', message: 'hello' }, { level: 'WARN', message: 'careful' }]);
    await expect(echoTask(taskContext('Echo', { level: 'INFO' }).context)).rejects.toThrow('format is required');
  });

  it('Log logs a string or every item of a list', async () => {
    const t = taskContext('Log', { message: ['a', { b: 1 }], level: 'DEBUG' });
    await logTask(t.context);
    expect(t.logs).toEqual([{ level: 'DEBUG', message: 'a' }, { level: 'DEBUG', message: '{"b":1}' }]);
  });
});
