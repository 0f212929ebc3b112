import { describe, expect, it } from 'vitest';
import { Scenario, T } from '../testing/execution-scenario.js';
import { localLogLinesOf } from '../task-types/local-tasks.js';
import type { TaskJob } from './task-job.js';

/** The base task properties the decider acts on: runIf, timeout (tasks no worker runs), logLevel. */
describe('runIf', () => {
  // Kestra's test flow core/src/test/resources/flows/valids/task-runif.yml and its test
  // core/src/test/java/io/kestra/core/runners/TaskWithRunIfTest.java (written anew here).
  const yaml = `id: task-runif
namespace: io.kestra.tests
tasks:
  - id: output
    type: io.kestra.plugin.core.output.OutputValues
    values:
      taskrun_data: 1
  - id: executed
    type: io.kestra.plugin.core.log.Log
    runIf: "{{ outputs.output['values']['taskrun_data'] == 1 }}"
    message:
      - "success"
  - id: notexecuted
    type: io.kestra.plugin.core.log.Log
    runIf: "{{ outputs.output['values']['taskrun_data'] == 2 }}"
    message:
      - "should not be printed"
  - id: willfailedtheflow
    type: io.kestra.plugin.core.log.Log
    runIf: "{{ outputs.notexists == 2 }}"
    message:
      - "should failed"
`;

  it('runs a task whose runIf is true, SKIPs one whose runIf is false, fails one whose runIf cannot render', () => {
    const s = new Scenario(yaml, {}, 'e', true);
    s.advance();
    expect(s.execution.state).toBe('FAILED');
    expect(s.states()).toEqual(['output:SUCCESS', 'executed:SUCCESS', 'notexecuted:SKIPPED', 'willfailedtheflow:FAILED']);
    expect(s.run('notexecuted').attempts).toEqual([]);
    expect(s.run('willfailedtheflow').error).toMatch(/runIf.*outputs\.notexists/);
  });

  it('a skipped task counts as a success for its list and for the execution; a flowable can be skipped too', () => {
    const s = new Scenario(`id: f
namespace: n
inputs:
  - id: enabled
    type: BOOLEAN
    defaults: false
tasks:
  - id: seq
    type: io.kestra.plugin.core.flow.Sequential
    runIf: "{{ inputs.enabled }}"
    tasks:
      - { id: inner, type: Log, message: never }
  - id: after
    type: Log
    message: runs
`);
    s.advance();
    expect(s.states()).toEqual(['seq:SKIPPED', 'after:CREATED']);
    s.complete('after');
    expect(s.execution.state).toBe('SUCCESS');
  });

  // Kestra 1.x renamed it `when` (TaskWithWhenTest, task-when.yml: the same flow as task-runif.yml).
  it('takes `when`, its newer name, the same way; both at once is a deploy error', () => {
    const s = new Scenario(yaml.replaceAll('runIf:', 'when:'), {}, 'e', true);
    s.advance();
    expect(s.execution.state).toBe('FAILED');
    expect(s.states()).toEqual(['output:SUCCESS', 'executed:SUCCESS', 'notexecuted:SKIPPED', 'willfailedtheflow:FAILED']);
    expect(s.run('willfailedtheflow').error).toMatch(/when.*outputs\.notexists|runIf.*outputs\.notexists/);
    expect(() => new Scenario('id: f\nnamespace: n\ntasks:\n  - { id: a, type: Log, message: x, runIf: "true", when: "true" }\n'))
      .toThrow(/tasks\[0\]\.when: "when" is the newer name of "runIf": give one of them/);
  });
});

describe("Kestra's tasks variable (RunVariables: tasks.<taskId>.state)", () => {
  it('lets runIf read the state of an earlier task', () => {
    const s = new Scenario(`id: f
namespace: n
tasks:
  - { id: check, type: Fail, allowFailure: true }
  - { id: alert, type: Log, message: warned, runIf: "{{ tasks.check.state == 'WARNING' }}" }
  - { id: quiet, type: Log, message: fine, runIf: "{{ tasks.check.state == 'SUCCESS' }}" }
`);
    s.advance();
    s.fail('check');
    expect(s.states()).toEqual(['check:WARNING', 'alert:CREATED']);
    s.complete('alert', {}, T(3));
    expect(s.states()).toEqual(['check:WARNING', 'alert:SUCCESS', 'quiet:SKIPPED']);
    expect(s.execution.state).toBe('WARNING');
  });
});

describe('timeout on the tasks no worker runs', () => {
  const timeoutTimer = (s: Scenario, taskId: string) => s.execution.timers.find((t) => t.taskRunId === s.run(taskId).id && t.purpose === 'timeout');

  it('a PT1S timeout on a 100 s Sleep ends it FAILED (kestra.io/docs/workflow-components/timeout)', () => {
    const s = new Scenario(`id: f
namespace: n
tasks:
  - id: sleep
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT100S
    timeout: PT1S
`);
    s.advance();
    const timer = timeoutTimer(s, 'sleep');
    expect(timer).toMatchObject({ fireAt: '2025-01-01T00:00:02.000Z' });
    s.fire(timer!.timerId, T(2));
    expect(s.run('sleep')).toMatchObject({ state: 'FAILED', error: 'Timeout after 00:00:01.000: task sleep ran longer than its timeout PT1S' });
    expect(s.execution.state).toBe('FAILED');
    expect(s.execution.timers).toEqual([]);
  });

  it('a Sleep that ends first cancels its timeout', () => {
    const s = new Scenario('id: f\nnamespace: n\ntasks:\n  - { id: sleep, type: Sleep, duration: PT1S, timeout: PT1M }\n');
    s.advance();
    s.fire(s.execution.timers.find((t) => t.purpose === 'sleep')!.timerId, T(2));
    expect(s.execution.state).toBe('SUCCESS');
    expect(s.history.filter((e) => e.type === 'TimerCancelled')).toHaveLength(1);
  });

  it('a flowable that times out kills its running children and fails; allowFailure makes it WARNING', () => {
    const yaml = (extra: string) => `id: f
namespace: n
tasks:
  - id: par
    type: io.kestra.plugin.core.flow.Parallel
    timeout: PT5S
${extra}    tasks:
      - { id: a, type: Log, message: a }
      - { id: b, type: Sleep, duration: PT1H }
`;
    const s = new Scenario(yaml(''));
    s.advance();
    s.when({ type: 'StartTaskRun', executionId: 'e', taskRunId: s.run('a').id, attempt: 1, now: T(2) });
    const events = s.fire(timeoutTimer(s, 'par')!.timerId, T(6));
    expect(events).toContainEqual({ type: 'TaskRunKillRequested', data: { taskRunId: s.run('a').id, attempt: 1, at: T(6) } });
    expect(s.states()).toEqual(['par:FAILED', 'a:KILLED', 'b:KILLED']);
    expect(s.execution.state).toBe('FAILED');
    // The worker's late report about the killed attempt decides nothing.
    expect(s.complete('a', {}, T(7))).toEqual([]);

    const allowed = new Scenario(yaml('    allowFailure: true\n'));
    allowed.advance();
    allowed.fire(timeoutTimer(allowed, 'par')!.timerId, T(6));
    expect(allowed.run('par').state).toBe('WARNING');
    expect(allowed.execution.state).toBe('WARNING');
  });

  it('a Subflow that times out kills its child and fails the attempt; retries apply', () => {
    const s = new Scenario(`id: parent
namespace: n
tasks:
  - id: launch
    type: io.kestra.plugin.core.flow.Subflow
    namespace: n
    flowId: child
    timeout: PT10S
    retry: { type: constant, interval: PT1S, maxAttempt: 2 }
`);
    s.advance();
    const events = s.fire(timeoutTimer(s, 'launch')!.timerId, T(11));
    expect(events).toContainEqual({ type: 'TaskRunKillRequested', data: { taskRunId: 'e.0', attempt: 1, childExecutionId: 'e.0.subflow.1', at: T(11) } });
    expect(s.run('launch').state).toBe('RETRYING');
    s.fire(s.execution.timers.find((t) => t.purpose === 'retry')!.timerId, T(12));
    expect(s.run('launch')).toMatchObject({ state: 'RUNNING', childExecutionId: 'e.0.subflow.2' });
    // The first child's end is stale now.
    expect(s.when({ type: 'ChildExecutionEnded', executionId: 'e', childExecutionId: 'e.0.subflow.1', taskRunId: 'e.0', state: 'SUCCESS', now: T(13) })).toEqual([]);
    s.when({ type: 'ChildExecutionEnded', executionId: 'e', childExecutionId: 'e.0.subflow.2', taskRunId: 'e.0', state: 'SUCCESS', now: T(14) });
    expect(s.execution.state).toBe('SUCCESS');
  });
});

describe('logLevel', () => {
  // Kestra's test flow core/src/test/resources/flows/valids/logs.yaml (task t4: a TRACE line
  // under `logLevel: INFO` is not logged; RunContextTest.logs).
  it('carries the task logLevel on its job; lines below it are dropped', () => {
    const s = new Scenario(`id: logs
namespace: io.kestra.tests
tasks:
  - id: t1
    type: io.kestra.plugin.core.log.Log
    message: first {{task.id}}
    level: TRACE
  - id: t4
    type: io.kestra.plugin.core.log.Log
    message: fourth {{task.id}}
    level: TRACE
    logLevel: INFO
`, {}, 'e', true);
    s.advance();
    const jobs = s.history.flatMap((e) => (e.type === 'TaskRunCreated' && e.data.job !== undefined ? [e.data.job as TaskJob] : []));
    expect(jobs.map((j) => j.logLevel)).toEqual([undefined, 'INFO']);
    expect(jobs.map((j) => localLogLinesOf(j).map((l) => l.message))).toEqual([['first t1'], []]);
  });
});
