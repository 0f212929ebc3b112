import { describe, expect, it } from 'vitest';
import { FlowValidationError } from '../flow/flow-validation.error.js';
import { parseFlow } from '../flow/flow.parser.js';
import { Scenario, T } from '../testing/execution-scenario.js';
import type { TimerScheduled } from './execution.events.js';
import { CORE_TASK_CATALOG } from '../task-types/core-task-catalog.js';

/** Fires every `loop` timer as it comes due until the execution ends (at most `max` times). */
const loopUntilEnd = (s: Scenario, max = 20): number => {
  let fired = 0;
  for (; fired < max && s.execution.state === 'RUNNING'; fired++) {
    const timer = s.execution.timers.find((t) => t.purpose === 'loop');
    if (timer === undefined) break;
    s.fire(timer.timerId, timer.fireAt);
  }
  return fired;
};

const countsOf = (s: Scenario) => s.execution.taskRuns.filter((t) => t.taskId === 'output_values').map((t) => (t.outputs?.values as { count: string }).count);

// Kestra's core/src/test/resources/flows/valids/waitfor*.yaml, asserted as WaitForCaseTest does.
const waitFor = (id: string, condition: string, extra = '', tasks = '') => `id: ${id}
namespace: io.kestra.tests
tasks:
  - id: waitfor
    type: io.kestra.plugin.core.flow.WaitFor
    condition: "${condition}"
${extra}    tasks:
${tasks}      - id: output_values
        type: io.kestra.plugin.core.output.OutputValues
        values:
          count: "{{ outputs.waitfor.iterationCount + 1 }}"
`;

describe('LoopUntil / WaitFor (io.kestra.plugin.core.flow)', () => {
  it('waitfor.yaml: ends SUCCESS after one iteration when the condition is true, with outputs', () => {
    const s = new Scenario(waitFor('waitfor', "{{ outputs.output_values.values.count != '4'}}"), {}, 'e', true);
    s.advance();
    expect(s.execution.state).toBe('SUCCESS');
    // Kestra counts the iteration that ended the loop: one iteration ends with iterationCount 2.
    expect(s.execution.taskRuns[0]).toMatchObject({ taskId: 'waitfor', state: 'SUCCESS', outputs: { iterationCount: 2 } });
  });

  it('waitfor-multiple-tasks.yaml: loops, PAUSED between iterations on a durable timer, until count is "4"', () => {
    const log = '      - id: echo\n        type: io.kestra.core.tasks.log.Log\n        message: "looping ..."\n';
    const s = new Scenario(waitFor('waitfor-multiple-tasks', "{{ outputs.output_values.values.count == '4'}}", '', log), {}, 'e', true);
    const first = s.advance();
    expect(s.run('waitfor').state).toBe('PAUSED');
    const timer = first.find((e): e is TimerScheduled => e.type === 'TimerScheduled')!;
    // WaitFor's default interval is PT1S.
    expect(timer.data).toMatchObject({ timerId: 'e.0:loop:2', purpose: 'loop', taskRunId: 'e.0', fireAt: '2025-01-01T00:00:02.000Z' });
    expect(loopUntilEnd(s)).toBe(2);
    expect(s.execution.state).toBe('SUCCESS');
    expect(countsOf(s)).toEqual(['2', '3', '4']);
    expect(s.execution.taskRuns.at(-1)!.outputs).toEqual({ values: { count: '4' } });
    expect(s.execution.taskRuns.filter((t) => t.taskId === 'echo').map((t) => t.iteration)).toEqual([1, 2, 3]);
  });

  it('waitfor-max-iterations.yaml: FAILED once maxIterations (3) is passed with failOnMaxReached', () => {
    const extra = '    checkFrequency:\n      maxIterations: 3\n      interval: PT0.2S\n    failOnMaxReached: true\n';
    const s = new Scenario(waitFor('waitfor-max-iterations', "{{ outputs.output_values.values.count == '10'}}", extra), {}, 'e', true);
    s.advance();
    loopUntilEnd(s);
    expect(s.execution.state).toBe('FAILED');
    expect(countsOf(s)).toEqual(['2', '3', '4']);
    expect(s.run('waitfor')).toMatchObject({ error: 'task waitfor reached its maxIterations (3) before its condition was true', outputs: { iterationCount: 4 } });
  });

  it('waitfor-no-success.yaml: SUCCESS when maxIterations is reached without failOnMaxReached', () => {
    const extra = '    checkFrequency:\n      maxIterations: 5\n      interval: PT0.2S\n';
    const s = new Scenario(waitFor('waitfor-no-success', "{{ outputs.output_values.values.count == '6'}}", extra), {}, 'e', true);
    s.advance();
    loopUntilEnd(s);
    expect(s.execution.state).toBe('SUCCESS');
    expect(countsOf(s)).toHaveLength(5);
  });

  it('waitfor-max-duration.yaml: FAILED once maxDuration (PT5S) has passed', () => {
    const extra = '    checkFrequency:\n      maxDuration: PT5S\n      interval: PT0.2S\n    failOnMaxReached: true\n';
    const s = new Scenario(waitFor('waitfor-max-duration', "{{ outputs.output_values.values.count == '-5'}}", extra), {}, 'e', true);
    s.advance();
    loopUntilEnd(s, 100);
    expect(s.execution.state).toBe('FAILED');
    expect(s.run('waitfor').error).toBe('task waitfor reached its maxDuration before its condition was true');
    expect(Date.parse(s.execution.endDate!) - Date.parse(T(1))).toBeGreaterThan(5000);
  });

  it('waitfor-multiple-tasks-failed.yaml: a failing task ends the loop FAILED after one attempt', () => {
    // Kestra's flow names Fail by its old alias.
    const fail = '      - id: fail\n        type: io.kestra.core.tasks.executions.Fail\n';
    const yaml = waitFor('waitfor-multiple-tasks-failed', "{{ outputs.output_values.values.count == '6'}}", '    checkFrequency:\n      maxIterations: 5\n      interval: PT0.2S\n')
      .replace('          count: "{{ outputs.waitfor.iterationCount + 1 }}"\n', `          count: "{{ outputs.waitfor.iterationCount + 1 }}"\n${fail}`);
    const s = new Scenario(yaml, {}, 'e', true);
    s.advance();
    s.fail('fail', 'This task failed');
    expect(s.execution.state).toBe('FAILED');
    expect(s.run('fail').attempts).toHaveLength(1);
    expect(s.run('waitfor').state).toBe('FAILED');
  });

  it('LoopUntil (docs example): no limits by default and a PT1M interval', () => {
    const s = new Scenario(`id: loop_until
namespace: company.team
tasks:
  - id: loop
    type: io.kestra.plugin.core.flow.LoopUntil
    condition: "{{ outputs.return.value == '4' }}"
    tasks:
      - id: return
        type: io.kestra.plugin.core.debug.Return
        format: "{{ outputs.loop.iterationCount }}"
`, {}, 'e', true);
    s.advance();
    expect(s.execution.timers).toEqual([{ timerId: 'e.0:loop:2', fireAt: '2025-01-01T00:01:01.000Z', purpose: 'loop', taskRunId: 'e.0' }]);
    loopUntilEnd(s);
    expect(s.execution.state).toBe('SUCCESS');
    expect(s.execution.taskRuns.filter((t) => t.taskId === 'return').map((t) => t.outputs?.value)).toEqual(['1', '2', '3', '4']);
  });

  it('a pause and resume of the execution leaves the waiting loop on its timer; a Pause ending does not wait for the loop', () => {
    const s = new Scenario(waitFor('w', "{{ outputs.output_values.values.count == '9'}}"), {}, 'e', true);
    s.advance();
    s.when({ type: 'PauseExecution', executionId: 'e', now: T(2) });
    s.when({ type: 'ResumeExecution', executionId: 'e', now: T(3) });
    expect(s.execution.state).toBe('RUNNING');
    expect(s.run('waitfor').state).toBe('PAUSED');
    expect(s.execution.timers.map((t) => t.timerId)).toEqual(['e.0:loop:2']);

    const p = new Scenario(`id: f
namespace: n
tasks:
  - id: par
    type: Parallel
    tasks:
      - id: waitfor
        type: WaitFor
        condition: "{{ outputs.v.values.x == 'never' }}"
        tasks:
          - { id: v, type: OutputValues, values: { x: a } }
      - id: seq
        type: Sequential
        tasks:
          - { id: a, type: Log, message: a }
          - { id: hold, type: Pause, pauseDuration: PT5S }
`);
    p.advance();
    p.complete('v', { values: { x: 'a' } });
    expect(p.run('waitfor').state).toBe('PAUSED');
    p.complete('a');
    expect(p.execution.state).toBe('PAUSED');
    p.fire(`${p.run('hold').id}:pause`, T(8));
    expect(p.execution.state).toBe('RUNNING');
    expect(p.run('waitfor').state).toBe('PAUSED');
  });

  it('a task ending WARNING does not stop the loop (Kestra: terminated, no fail); the loop ends WARNING', () => {
    const s = new Scenario(`id: w
namespace: n
tasks:
  - id: loop
    type: LoopUntil
    condition: "{{ outputs.loop.iterationCount > 2 }}"
    checkFrequency: { interval: PT1S }
    tasks:
      - { id: a, type: Log, message: a, allowFailure: true }
`);
    s.advance();
    s.fail('a');
    expect(s.run('a').state).toBe('WARNING');
    expect(s.run('loop').state).toBe('PAUSED');
    s.fire('e.0:loop:2', T(3));
    s.complete('a', {}, T(4));
    expect(s.run('loop')).toMatchObject({ state: 'WARNING', outputs: { iterationCount: 3 } });
    expect(s.execution.state).toBe('WARNING');
  });

  it('a kill while the loop waits cancels its timer', () => {
    const s = new Scenario(waitFor('w', "{{ outputs.output_values.values.count == '9'}}"), {}, 'e', true);
    s.advance();
    s.when({ type: 'KillExecution', executionId: 'e', now: T(2) });
    expect(s.execution.state).toBe('KILLED');
    expect(s.execution.timers).toEqual([]);
    expect(s.run('waitfor').state).toBe('KILLED');
  });

  it('refuses a malformed checkFrequency at deploy', () => {
    const yaml = waitFor('w', 'x', '    checkFrequency:\n      maxIterations: 0\n      every: PT1S\n');
    expect(() => parseFlow(yaml, CORE_TASK_CATALOG)).toThrow(FlowValidationError);
    try {
      parseFlow(yaml, CORE_TASK_CATALOG);
    } catch (error) {
      expect((error as FlowValidationError).issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
        'tasks[0].checkFrequency.every: unknown property "every" (allowed: maxIterations, maxDuration, interval)',
        'tasks[0].checkFrequency.maxIterations: must be an integer >= 1',
      ]);
    }
  });
});
