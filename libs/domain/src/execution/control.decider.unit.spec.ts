import { describe, expect, it } from 'vitest';
import { DeciderSpecification } from '../testing/decider-specification.js';
import { Scenario, T } from '../testing/execution-scenario.js';
import { executionDecider } from './execution.decider.js';
import { CORE_TASK_CATALOG } from '../task-types/core-task-catalog.js';

const spec = DeciderSpecification.for(executionDecider);
const twoLogs = `id: f\nnamespace: n\ntasks:\n  - { id: a, type: Log, message: a }\n  - { id: b, type: Log, message: b }\n`;

describe('kill', () => {
  it('kills a CREATED execution at once', () => {
    const s = new Scenario(twoLogs);
    spec.given(s.history).when({ type: 'KillExecution', executionId: 'e', now: T(1) }, { taskTypes: CORE_TASK_CATALOG, flow: s.flow }).then([
      { type: 'ExecutionStateChanged', data: { state: 'KILLED', reason: 'killed on request', at: T(1) } },
    ]);
  });

  it('goes KILLING, tells the worker to stop, bounds the wait, and ends KILLED when the worker reports', () => {
    const s = new Scenario(twoLogs);
    s.advance();
    s.when({ type: 'StartTaskRun', executionId: 'e', taskRunId: 'e.0', attempt: 1, now: T(2) });
    spec.given(s.history).when({ type: 'KillExecution', executionId: 'e', now: T(3) }, { taskTypes: CORE_TASK_CATALOG, flow: s.flow }).then([
      { type: 'ExecutionStateChanged', data: { state: 'KILLING', reason: 'killed on request', at: T(3) } },
      { type: 'TaskRunKillRequested', data: { taskRunId: 'e.0', attempt: 1, at: T(3) } },
      { type: 'TimerScheduled', data: { timerId: 'e:kill', fireAt: '2025-01-01T00:00:33.000Z', purpose: 'kill', at: T(3) } },
    ]);
    s.when({ type: 'KillExecution', executionId: 'e', now: T(3) });
    expect(s.when({ type: 'KillExecution', executionId: 'e', now: T(4) })).toEqual([]);
    s.fail('a', 'aborted', T(5));
    expect(s.states()).toEqual(['a:KILLED']);
    expect(s.execution.state).toBe('KILLED');
    expect(s.execution.timers).toEqual([]);
    expect(s.execution.stateHistory.map((h) => h.state)).toEqual(['CREATED', 'RUNNING', 'KILLING', 'KILLED']);
  });

  it('completes the kill at the bound even if the worker never answers', () => {
    const s = new Scenario(twoLogs);
    s.advance();
    s.when({ type: 'StartTaskRun', executionId: 'e', taskRunId: 'e.0', attempt: 1, now: T(2) });
    s.when({ type: 'KillExecution', executionId: 'e', now: T(3) });
    s.fire('e:kill', T(40));
    expect(s.execution.state).toBe('KILLED');
    expect(s.run('a').attempts.map((a) => a.state)).toEqual(['KILLED']);
    expect(s.fire('e:kill', T(41))).toEqual([]);
  });

  it('kills an attempt not yet started at once, and the flow timeout kills with its reason', () => {
    const s = new Scenario(`${twoLogs}timeout: PT1M\n`);
    const started = s.advance();
    expect(started[1]).toEqual({ type: 'TimerScheduled', data: { timerId: 'e:timeout', fireAt: '2025-01-01T00:01:01.000Z', purpose: 'timeout', at: T(1) } });
    s.fire('e:timeout', T(59));
    expect(s.execution).toMatchObject({ state: 'KILLED', killReason: 'the execution exceeded the flow timeout PT1M' });
    expect(s.states()).toEqual(['a:KILLED']);
  });
});

describe('pause and resume', () => {
  it('starts no new task run while PAUSED, takes results, and goes on when resumed', () => {
    const s = new Scenario(twoLogs);
    s.advance();
    s.when({ type: 'PauseExecution', executionId: 'e', now: T(2) });
    s.complete('a', {}, T(3));
    expect(s.states()).toEqual(['a:SUCCESS']);
    expect(s.execution.state).toBe('PAUSED');
    s.when({ type: 'ResumeExecution', executionId: 'e', now: T(4) });
    expect(s.states()).toEqual(['a:SUCCESS', 'b:CREATED']);
    expect(s.execution.state).toBe('RUNNING');
  });

  const pauseFlow = (extra = '') => `id: f
namespace: n
tasks:
  - id: pause
    type: io.kestra.plugin.core.flow.Pause
${extra}  - { id: last, type: Log, message: "{{ outputs.pause.onResume.asked ?? 'MISSING' }}" }
`;

  it('a Pause task pauses the execution; approve resumes it with onResume outputs', () => {
    const s = new Scenario(pauseFlow('    onResume: [{ id: asked, type: STRING, required: false }]\n'));
    s.advance();
    expect(s.states()).toEqual(['pause:PAUSED']);
    expect(s.execution.state).toBe('PAUSED');
    s.when({ type: 'ResumeExecution', executionId: 'e', inputs: { asked: 'yes' }, now: T(5) });
    expect(s.states()).toEqual(['pause:SUCCESS', 'last:CREATED']);
    expect(s.run('pause').outputs).toEqual({ onResume: { asked: 'yes' } });
    expect(s.run('pause').stateHistory.map((h) => h.state)).toEqual(['CREATED', 'RUNNING', 'PAUSED', 'RUNNING', 'SUCCESS']);
  });

  // Kestra's PauseTest#runOnResumeMissingInputs (core/src/test/java/io/kestra/plugin/core/flow/PauseTest.java,
  // flows/valids/pause_on_resume.yaml): readExecutionInputs refuses a resume without the required input.
  it('refuses a resume whose onResume inputs do not fit, naming each input; the execution stays paused', () => {
    const s = new Scenario(pauseFlow('    onResume: [{ id: asked, type: STRING }, { id: count, type: INT, required: false }, { id: data, type: FILE, required: false }]\n'));
    s.advance();
    expect(() => s.when({ type: 'ResumeExecution', executionId: 'e', inputs: {}, now: T(5) })).toThrow(/asked: required input is missing/);
    expect(() => s.when({ type: 'ResumeExecution', executionId: 'e', inputs: { asked: 'x', count: 'many' }, now: T(5) })).toThrow(/count: /);
    expect(s.execution.state).toBe('PAUSED');
    s.when({ type: 'ResumeExecution', executionId: 'e', inputs: { asked: 'x', count: '3', data: 'kestra:///n/f/executions/e/inputs/data/data' }, now: T(5) });
    expect(s.run('pause').outputs).toEqual({ onResume: { asked: 'x', count: 3, data: 'kestra:///n/f/executions/e/inputs/data/data' } });
  });

  it('reject fails the Pause and the execution', () => {
    const s = new Scenario(pauseFlow());
    s.advance();
    s.when({ type: 'ResumeExecution', executionId: 'e', approve: false, now: T(5) });
    expect(s.states()).toEqual(['pause:FAILED']);
    expect(s.execution.state).toBe('FAILED');
  });

  it('pauseDuration resumes by itself; timeout fails the pause', () => {
    const delayed = new Scenario(pauseFlow('    pauseDuration: PT1S\n'));
    delayed.advance();
    delayed.fire('e.0:pause', T(2));
    expect(delayed.states()).toEqual(['pause:SUCCESS', 'last:CREATED']);
    expect(delayed.execution.state).toBe('RUNNING');
    const timedOut = new Scenario(pauseFlow('    timeout: PT1S\n'));
    timedOut.advance();
    timedOut.fire('e.0:timeout', T(2));
    expect(timedOut.states()).toEqual(['pause:FAILED']);
    expect(timedOut.execution.state).toBe('FAILED');
    expect(timedOut.run('pause').stateHistory.map((h) => h.state)).toEqual(['CREATED', 'RUNNING', 'PAUSED', 'FAILED']);
  });

  // Kestra >= 0.22's PauseTest#runDurationWith{RESUME,WARN,FAIL,CANCEL}Behavior (pause-behavior.yaml: the behavior from an input).
  it.each([
    ['RESUME', ['pause:SUCCESS', 'last:CREATED'], 'RUNNING'],
    ['WARN', ['pause:WARNING', 'last:CREATED'], 'RUNNING'],
    ['FAIL', ['pause:FAILED'], 'FAILED'],
    ['CANCEL', ['pause:CANCELLED'], 'CANCELLED'],
  ])('pauseDuration elapsed with behavior %s', (behavior, states, execution) => {
    const s = new Scenario(`id: f
namespace: n
inputs: [{ id: behavior, type: STRING, defaults: RESUME }]
tasks:
  - { id: pause, type: io.kestra.plugin.core.flow.Pause, pauseDuration: PT1S, behavior: "{{ inputs.behavior }}" }
  - { id: last, type: Log, message: done }
`, { behavior });
    s.advance();
    s.fire('e.0:pause', T(2));
    expect(s.states()).toEqual(states);
    expect(s.execution.state).toBe(execution);
    if (behavior === 'WARN') {
      s.complete('last', {}, T(3));
      expect(s.execution.state).toBe('WARNING');
    }
  });

  // Kestra >= 0.22's pause_on_pause.yaml (PauseTest#shouldExecuteOnPauseTask): refused with the reason, never ignored.
  it('refuses onPause at deploy, saying why', () => {
    expect(() => new Scenario(pauseFlow('    pauseDuration: PT1S\n    onPause: { id: hello, type: Log, message: hi }\n'))).toThrow(/tasks\[0\]\.onPause: "onPause" is not supported by Chronicle: a task started while the execution is paused/);
  });

  it('refuses a behavior that is not one of RESUME, WARN, FAIL, CANCEL; fails a rendered one that is not', () => {
    expect(() => new Scenario(pauseFlow('    pauseDuration: PT1S\n    behavior: STOP\n'))).toThrow(/tasks\[0\]\.behavior: must be one of RESUME, WARN, FAIL, CANCEL/);
    const s = new Scenario(pauseFlow('    pauseDuration: PT1S\n    behavior: "{{ \'stop\' }}"\n'));
    s.advance();
    s.fire('e.0:pause', T(2));
    expect(s.states()).toEqual(['pause:FAILED']);
    expect(s.run('pause').error).toContain('"stop" is not one of RESUME, WARN, FAIL, CANCEL');
  });

  // Kestra >= 0.22's PauseTest#timeoutAllowFailure (pause-timeout-allow-failure.yaml): the timeout is a failure like any other.
  it('a timed-out pause with allowFailure ends WARNING and the flow goes on', () => {
    const s = new Scenario(pauseFlow('    timeout: PT1S\n    allowFailure: true\n'));
    s.advance();
    s.fire('e.0:timeout', T(2));
    expect(s.states()).toEqual(['pause:WARNING', 'last:CREATED']);
    // Kestra's history has one RUNNING; a PAUSED task run only fails directly here (transitions.ts).
    expect(s.run('pause').stateHistory.map((h) => h.state)).toEqual(['CREATED', 'RUNNING', 'PAUSED', 'RUNNING', 'WARNING']);
  });

  // Kestra >= 0.22's PauseTest#shouldExecuteErrorsFinallyAndAfterExecution (pause-errors-finally-after-execution.yaml).
  it("a timed-out pause runs its own errors and finally, then fails; the next task does not run", () => {
    const s = new Scenario(pauseFlow(`    timeout: PT1S
    errors: [{ id: onError, type: Log, message: failed }]
    finally: [{ id: atLast, type: Log, message: done }]
`));
    s.advance();
    s.fire('e.0:timeout', T(2));
    expect(s.states()).toEqual(['pause:RUNNING', 'onError:CREATED']);
    s.complete('onError', {}, T(3));
    s.complete('atLast', {}, T(4));
    expect(s.states()).toEqual(['pause:FAILED', 'onError:SUCCESS', 'atLast:SUCCESS']);
    expect(s.run('pause').error).toBe('Timeout after 00:00:01.000: task pause ran longer than its timeout PT1S');
    expect(s.execution.state).toBe('FAILED');
  });
});

describe('Sleep', () => {
  it('runs until its timer fires, once', () => {
    const s = new Scenario(`id: f\nnamespace: n\ntasks:\n  - { id: nap, type: io.kestra.plugin.core.flow.Sleep, duration: PT2S }\n`);
    const events = s.advance();
    // Kestra's Sleep logs `Waiting for <duration>` (log.Fetch in get-log.yaml counts it).
    const log = { taskId: 'nap', level: 'INFO', message: 'Waiting for PT2S' };
    expect(events.at(-1)).toEqual({ type: 'TimerScheduled', data: { timerId: 'e.0:sleep', fireAt: T(3), purpose: 'sleep', taskRunId: 'e.0', log, at: T(1) } });
    spec.given(s.history).when({ type: 'FireTimer', executionId: 'e', timerId: 'e.0:sleep', now: T(3) }, { taskTypes: CORE_TASK_CATALOG, flow: s.flow }).then([
      { type: 'TimerFired', data: { timerId: 'e.0:sleep', at: T(3) } },
      { type: 'TaskRunStateChanged', data: { taskRunId: 'e.0', state: 'SUCCESS', at: T(3) } },
      { type: 'ExecutionSucceeded', data: { at: T(3) } },
    ]);
    s.fire('e.0:sleep', T(3));
    expect(s.fire('e.0:sleep', T(4))).toEqual([]);
  });
});

describe('concurrency limit', () => {
  const limited = (behavior: string) => `id: f\nnamespace: n\nconcurrency: { limit: 1, behavior: ${behavior} }\ntasks: [{ id: a, type: Log, message: a }]\n`;
  const full = (now = T(1)) => ({ type: 'AdvanceExecution' as const, executionId: 'e', concurrency: { running: 1 }, now });

  it('QUEUE waits in QUEUED and starts when a slot frees', () => {
    const s = new Scenario(limited('QUEUE'));
    s.when(full());
    expect(s.execution.state).toBe('QUEUED');
    expect(s.when(full(T(2)))).toEqual([]);
    s.when({ type: 'AdvanceExecution', executionId: 'e', concurrency: { running: 0 }, now: T(3) });
    expect(s.execution.stateHistory.map((h) => h.state)).toEqual(['CREATED', 'QUEUED', 'RUNNING']);
    expect(s.states()).toEqual(['a:CREATED']);
  });

  it('CANCEL cancels, FAIL fails', () => {
    const cancel = new Scenario(limited('CANCEL'));
    cancel.when(full());
    expect(cancel.execution.state).toBe('CANCELLED');
    const fail = new Scenario(limited('FAIL'));
    fail.when(full());
    expect(fail.execution).toMatchObject({ state: 'FAILED', error: 'flow concurrency limit 1 reached' });
  });
});

describe('replay and concurrency key', () => {
  it('restores the reused task runs at start, then runs from the replayed task', () => {
    const fresh = new Scenario(`id: f\nnamespace: n\ntasks:\n  - { id: a, type: OutputValues, values: { v: 1 } }\n  - { id: b, type: Log, message: "{{ outputs.a.values.v }}" }\n`);
    const [event] = executionDecider.decide({
      type: 'CreateExecution', executionId: 'r2', flow: fresh.flow, inputs: {}, originalId: 'e',
      replayOf: { executionId: 'e', fromTaskId: 'b', taskRuns: [{ taskId: 'a', state: 'SUCCESS', outputs: { values: { v: 'old' } } }] }, now: T(0),
    }, undefined);
    const started = executionDecider.decide({ type: 'AdvanceExecution', executionId: 'r2', now: T(1) }, executionDecider.evolve(undefined, event!), { taskTypes: CORE_TASK_CATALOG, flow: fresh.flow, localTasks: false });
    expect(started.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskRunCreated', 'TaskRunStateChanged', 'TaskRunStateChanged', 'TaskRunCreated']);
    expect(started.at(-1)).toMatchObject({ data: { taskId: 'b', job: { properties: { message: 'old' } } } });
  });

  it('renders the concurrency key at creation', () => {
    const s = new Scenario(`id: f\nnamespace: n\ninputs: [{ id: customer, type: STRING }]\nconcurrency: { limit: 1, key: "{{ inputs.customer }}" }\ntasks: [{ id: a, type: Log, message: a }]\n`);
    const [event] = executionDecider.decide({ type: 'CreateExecution', executionId: 'x', flow: s.flow, inputs: { customer: 'acme' }, now: T(0) }, undefined);
    expect(event).toMatchObject({ type: 'ExecutionCreated', data: { concurrencyKey: 'acme' } });
  });
});
