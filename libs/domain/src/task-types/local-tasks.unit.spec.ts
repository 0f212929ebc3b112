import { describe, expect, it } from 'vitest';
import { DeciderSpecification } from '../testing/decider-specification.js';
import { Scenario, T } from '../testing/execution-scenario.js';
import { BENCHMARK01_FULL_NAMES } from '../testing/flow-fixtures.js';
import type { ExecutionEvent } from '../execution/execution.events.js';
import { executionDecider } from '../execution/execution.decider.js';
import { LOCAL_WORKER_ID, localLogLinesOf, runLocalJob, runsLocally } from './local-tasks.js';
import type { TaskJob } from '../execution/task-job.js';
import { CORE_TASK_CATALOG } from './core-task-catalog.js';

const spec = DeciderSpecification.for(executionDecider);

const job = (taskRunId: string, taskId: string, type: string, properties: TaskJob['properties']): TaskJob => ({
  executionId: 'e', taskRunId, taskId, attempt: 1, type, properties, local: true,
});

describe('local tasks (run by the executor inside the decision)', () => {
  it('runs benchmark01 to SUCCESS in the one decision that starts it, recorded as a worker run would be', () => {
    const s = new Scenario(BENCHMARK01_FULL_NAMES, { name: 'World' }, 'e', true);
    const concatenate = job('e.0', 'concatenate', 'OutputValues', { values: { message: 'Hello World' } });
    const hello = job('e.1', 'hello', 'Log', { message: 'Hello World' });
    spec.given(s.history).when({ type: 'AdvanceExecution', executionId: 'e', now: T(1) }, { taskTypes: CORE_TASK_CATALOG, flow: s.flow }).then([
      { type: 'ExecutionStarted', data: { at: T(1) } },
      { type: 'TaskRunCreated', data: { taskRunId: 'e.0', taskId: 'concatenate', at: T(1), job: concatenate } },
      { type: 'TaskRunStarted', data: { taskRunId: 'e.0', attempt: 1, workerId: LOCAL_WORKER_ID, at: T(1) } },
      { type: 'TaskRunSucceeded', data: { taskRunId: 'e.0', attempt: 1, outputs: { values: { message: 'Hello World' } }, at: T(1) } },
      { type: 'TaskRunCreated', data: { taskRunId: 'e.1', taskId: 'hello', at: T(1), job: hello } },
      { type: 'TaskRunStarted', data: { taskRunId: 'e.1', attempt: 1, workerId: LOCAL_WORKER_ID, at: T(1) } },
      { type: 'TaskRunSucceeded', data: { taskRunId: 'e.1', attempt: 1, outputs: {}, at: T(1) } },
      { type: 'ExecutionSucceeded', data: { at: T(1) } },
    ] as ExecutionEvent[]);
  });

  it('stops at the first task a worker must run, and goes on locally after its report', () => {
    const s = new Scenario(
      `id: f\nnamespace: n\ntasks:\n  - { id: a, type: Return, format: "one" }\n  - { id: b, type: Fail, condition: "false" }\n  - { id: c, type: Log, message: "after {{ outputs.a.value }}" }\n`,
      {}, 'e', true,
    );
    const first = s.advance();
    expect(first.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskRunCreated', 'TaskRunStarted', 'TaskRunSucceeded', 'TaskRunCreated']);
    const failJob = (first[4]!.data as { job: TaskJob }).job;
    expect(failJob.type).toBe('Fail');
    expect(failJob.local).toBeUndefined();
    const rest = s.complete('b');
    expect(rest.map((e) => e.type)).toEqual(['TaskRunStarted', 'TaskRunSucceeded', 'TaskRunCreated', 'TaskRunStarted', 'TaskRunSucceeded', 'ExecutionSucceeded']);
    expect(localLogLinesOf((rest[2]!.data as { job: TaskJob }).job)).toEqual([{ level: 'INFO', message: 'after one' }]);
    expect(s.execution.state).toBe('SUCCESS');
  });

  it('fails an attempt whose rendered properties the task cannot use, and retries it by the flow\'s policy', () => {
    const s = new Scenario(
      `id: f\nnamespace: n\ninputs:\n  - { id: level, type: STRING }\ntasks:\n  - id: a\n    type: Log\n    level: INFO\n    message: hi\n    retry: { type: constant, interval: PT1S, maxAttempt: 2 }\n`,
      { level: 'LOUD' }, 'e', true,
    );
    // Flow validation refuses a bad level it can see; one that only rendering reveals gets this far.
    (s.flow.tasks[0]!.properties as Record<string, unknown>).level = '{{ inputs.level }}';
    const first = s.advance();
    expect(first).toContainEqual({ type: 'TaskRunFailed', data: expect.objectContaining({ taskRunId: 'e.0', attempt: 1, error: 'level must be one of TRACE, DEBUG, INFO, WARN, ERROR' }) });
    const timer = first.find((e) => e.type === 'TimerScheduled')!;
    const retried = s.fire((timer.data as { timerId: string }).timerId, T(5));
    expect(retried.map((e) => e.type)).toEqual(['TimerFired', 'TaskRunAttemptCreated', 'TaskRunStarted', 'TaskRunFailed', 'ExecutionFailed']);
    expect(s.execution.taskRuns[0]!.attempts.map((a) => a.state)).toEqual(['FAILED', 'FAILED']);
  });

  it('runs a 1000-way ForEach of local tasks in one decision', () => {
    const values = Array.from({ length: 1000 }, (_, i) => `v${i}`);
    const s = new Scenario(
      `id: f\nnamespace: n\ntasks:\n  - id: each\n    type: ForEach\n    concurrencyLimit: 0\n    values: ${JSON.stringify(values)}\n    tasks:\n      - { id: log, type: Log, message: "{{ taskrun.value }}" }\n`,
      {}, 'e', true,
    );
    s.advance();
    expect(s.execution.state).toBe('SUCCESS');
    expect(s.execution.taskRuns.filter((t) => t.taskId === 'log' && t.state === 'SUCCESS')).toHaveLength(1000);
  });

  it('marks nothing local when local tasks are off: the worker pool gets every job', () => {
    const s = new Scenario(BENCHMARK01_FULL_NAMES, {}, 'e', false);
    const events = s.advance();
    expect(events.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskRunCreated']);
    expect((events[1]!.data as { job: TaskJob }).job.local).toBeUndefined();
  });

  it('knows which types are local and what each one does', () => {
    expect(['OutputValues', 'Return', 'Log'].every((t) => runsLocally(CORE_TASK_CATALOG, t))).toBe(true);
    expect(['Fail', 'Echo', 'Subflow', 'ForEach'].some((t) => runsLocally(CORE_TASK_CATALOG, t))).toBe(false);
    expect(runLocalJob(CORE_TASK_CATALOG, job('e.0', 'r', 'Return', { format: 'x' }))).toEqual({ ok: true, outputs: { value: 'x' } });
    expect(runLocalJob(CORE_TASK_CATALOG, job('e.0', 'r', 'Return', {}))).toEqual({ ok: true, outputs: { value: null } });
    expect(runLocalJob(CORE_TASK_CATALOG, job('e.0', 'o', 'OutputValues', { values: [1] }))).toEqual({ ok: false, error: 'values must be a map of names to values' });
    expect(localLogLinesOf(job('e.0', 'l', 'Log', { message: ['a', { b: 1 }], level: 'warn' }))).toEqual([
      { level: 'WARN', message: 'a' },
      { level: 'WARN', message: '{"b":1}' },
    ]);
    expect(localLogLinesOf(job('e.0', 'l', 'Log', { message: 'a', level: 'LOUD' }))).toEqual([]);
    expect(localLogLinesOf({ ...job('e.0', 'l', 'Log', { message: 'a' }), local: undefined })).toEqual([]);
  });
});
