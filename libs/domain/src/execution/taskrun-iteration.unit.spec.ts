import { describe, expect, it } from 'vitest';
import { Scenario } from '../testing/execution-scenario.js';

/** Fires every `loop` timer as it comes due until the execution ends. */
const loopUntilEnd = (s: Scenario): void => {
  for (let fired = 0; fired < 20 && s.execution.state === 'RUNNING'; fired++) {
    const timer = s.execution.timers.find((t) => t.purpose === 'loop');
    if (timer === undefined) break;
    s.fire(timer.timerId, timer.fireAt);
  }
};

const iterationsOf = (s: Scenario, taskId: string) => s.execution.taskRuns.filter((t) => t.taskId === taskId).map((t) => (t.outputs?.values as { iteration: string }).iteration);

// Kestra's `taskrun.iteration` (RunVariables puts it when the task run carries one).
describe('taskrun.iteration', () => {
  it("is a loop child's position among the loop's values, from 0 (Kestra >= 0.22's ForEach, ForEachTest#iteration)", () => {
    const s = new Scenario(`id: each-iteration
namespace: io.kestra.tests
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: [10, 20]
    tasks:
      - { id: first, type: io.kestra.plugin.core.output.OutputValues, values: { iteration: "{{ taskrun.iteration }}" } }
      - { id: second, type: io.kestra.plugin.core.output.OutputValues, values: { iteration: "{{ taskrun.iteration }}" } }
`, {}, 'e', true);
    s.advance();
    expect(s.execution.state).toBe('SUCCESS');
    expect(iterationsOf(s, 'first')).toEqual(['0', '1']);
    expect(iterationsOf(s, 'second')).toEqual(['0', '1']);
  });

  it("is a WaitFor child's loop iteration, from 1 (Kestra 0.21's FlowableUtils: the loop's iteration, 1 at first)", () => {
    const s = new Scenario(`id: waitfor-iteration
namespace: io.kestra.tests
tasks:
  - id: waitfor
    type: io.kestra.plugin.core.flow.WaitFor
    condition: "{{ outputs.out.values.iteration == '3' }}"
    checkFrequency: { interval: PT1S }
    tasks:
      - { id: out, type: io.kestra.plugin.core.output.OutputValues, values: { iteration: "{{ taskrun.iteration }}" } }
`, {}, 'e', true);
    s.advance();
    loopUntilEnd(s);
    expect(s.execution.state).toBe('SUCCESS');
    expect(iterationsOf(s, 'out')).toEqual(['1', '2', '3']);
  });

  it('is undefined outside loops, as in Kestra (a strict expression fails)', () => {
    const s = new Scenario(`id: no-iteration
namespace: io.kestra.tests
tasks:
  - { id: out, type: io.kestra.plugin.core.output.OutputValues, values: { iteration: "{{ taskrun.iteration }}" } }
`, {}, 'e', true);
    s.advance();
    expect(s.execution.state).toBe('FAILED');
    expect(s.run('out').error).toContain('taskrun.iteration');
  });
});

// Kestra >= 0.22's task-runif-taskswithstate.yml (TaskWithRunIfTest): tasksWithState() in a `finally` task's runIf.
describe('tasksWithState() in runIf', () => {
  it('sees the failed task: the finally task that needs a failure runs, the one that needs none is SKIPPED', () => {
    const s = new Scenario(`id: runif-taskswithstate
namespace: io.kestra.tests
tasks:
  - { id: hello, type: io.kestra.plugin.core.log.Log, message: Hello }
  - { id: will_fail, type: io.kestra.plugin.core.execution.Fail }
finally:
  - id: when_failed
    type: io.kestra.plugin.core.log.Log
    runIf: "{{ tasksWithState(state='FAILED') is not empty }}"
    message: a task failed
  - id: when_none_failed
    type: io.kestra.plugin.core.log.Log
    runIf: "{{ tasksWithState(state='FAILED') is empty }}"
    message: nothing failed
`, {}, 'e', true);
    s.advance();
    s.fail('will_fail'); // Fail runs in the worker: its attempt fails
    expect(s.execution.state).toBe('FAILED');
    expect(s.run('when_failed').state).toBe('SUCCESS');
    expect(s.run('when_none_failed').state).toBe('SKIPPED');
  });
});
