import { describe, expect, it } from 'vitest';
import { parseFlow } from '../../flow/flow.parser.js';
import { DeciderSpecification } from '../../testing/decider-specification.js';
import { foldCreated, T } from '../../testing/execution-scenario.js';
import type { ExecutionCommand } from '../execution.commands.js';
import { decide, executionDecider } from '../execution.decider.js';
import type { ExecutionEvent } from '../execution.events.js';
import { foldExecution } from '../execution.fold.js';
import type { ExecutionOptions } from '../run-options.js';
import { BreakpointOptionError } from './breakpoint-options.js';
import { CORE_TASK_CATALOG } from '../../task-types/core-task-catalog.js';

const spec = DeciderSpecification.for(executionDecider);
const flow = parseFlow(`id: f
namespace: n
inputs:
  - id: who
    type: STRING
    defaults: world
tasks:
  - id: first
    type: Log
    message: "hello {{ inputs.who }}"
  - id: second
    type: Log
    message: "after {{ execution.id }}"
  - id: third
    type: Log
    message: done
`, CORE_TASK_CATALOG, 1);
const ctx = { flow, taskTypes: CORE_TASK_CATALOG, localTasks: false };

/** An execution folded as commands are decided. */
const run = (options: ExecutionOptions) => {
  const events: ExecutionEvent[] = decide({ type: 'CreateExecution', executionId: 'e', flow, inputs: {}, options, now: T(0) }, undefined);
  const when = (command: ExecutionCommand): ExecutionEvent[] => {
    const decided = decide(command, foldExecution(events), ctx);
    events.push(...decided);
    return decided;
  };
  return { events, when, get execution() { return foldCreated(events); } };
};
const work = (r: ReturnType<typeof run>, taskRunId: string, n: number) => {
  r.when({ type: 'StartTaskRun', executionId: 'e', taskRunId, attempt: 1, now: T(n) });
  return r.when({ type: 'CompleteTaskRun', executionId: 'e', taskRunId, attempt: 1, outputs: {}, now: T(n + 1) });
};

describe('breakpoints: start options', () => {
  it('refuses a breakpoint on a task that does not exist, naming it; nothing is created', () => {
    expect(() => decide({ type: 'CreateExecution', executionId: 'e', flow, inputs: {}, options: { breakpoints: ['first', 'nope'] }, now: T(0) }, undefined))
      .toThrow(BreakpointOptionError);
    expect(() => decide({ type: 'CreateExecution', executionId: 'e', flow, inputs: {}, options: { breakpoints: ['first', 'nope'] }, now: T(0) }, undefined))
      .toThrow(/^breakpoints\[1\] names no task of flow n\.f: "nope"/);
  });

  it('refuses breakpoints that are not task ids and a stepMode that is not a boolean', () => {
    const start = (options: unknown) => () => decide({ type: 'CreateExecution', executionId: 'e', flow, inputs: {}, options: options as ExecutionOptions, now: T(0) }, undefined);
    expect(start({ breakpoints: 'first' })).toThrow(/^breakpoints must be a list of task ids/);
    expect(start({ breakpoints: [3] })).toThrow(/^breakpoints\[0\] must be a task id/);
    expect(start({ stepMode: 'yes' })).toThrow(/^stepMode must be true or false/);
  });

  it('keeps them on the execution', () => {
    const [created] = decide({ type: 'CreateExecution', executionId: 'e', flow, inputs: {}, options: { breakpoints: ['second'], stepMode: true }, now: T(0) }, undefined);
    expect(created!.type === 'ExecutionCreated' && created!.data.options).toEqual({ breakpoints: ['second'], stepMode: true });
  });
});

describe('breakpoints: pause before the task, with its rendered properties', () => {
  it('given a breakpoint on the first task, when the execution starts, then it pauses before it', () => {
    const r = run({ breakpoints: ['first'] });
    spec.given(r.events).when({ type: 'AdvanceExecution', executionId: 'e', now: T(1) }, ctx).then([
      { type: 'ExecutionStarted', data: { at: T(1) } },
      { type: 'TaskRunCreated', data: { taskRunId: 'e.0', taskId: 'first', at: T(1) } },
      { type: 'TaskRunBreakpointReached', data: { taskRunId: 'e.0', taskId: 'first', properties: { message: 'hello world' }, at: T(1) } },
      { type: 'ExecutionStateChanged', data: { state: 'PAUSED', reason: 'breakpoint before task first', at: T(1) } },
    ]);
  });

  it('CONTINUE runs it and the next tasks up to the next breakpoint', () => {
    const r = run({ breakpoints: ['first', 'third'] });
    r.when({ type: 'AdvanceExecution', executionId: 'e', now: T(1) });
    expect(r.when({ type: 'ResolveBreakpoint', executionId: 'e', action: 'CONTINUE', now: T(2) })).toEqual([
      { type: 'BreakpointResolved', data: { taskRunId: 'e.0', action: 'CONTINUE', at: T(2) } },
      { type: 'ExecutionStateChanged', data: { state: 'RUNNING', reason: 'pause ended', at: T(2) } },
      { type: 'TaskRunAttemptCreated', data: { taskRunId: 'e.0', attempt: 1, job: { executionId: 'e', taskRunId: 'e.0', taskId: 'first', attempt: 1, type: 'Log', properties: { message: 'hello world' } }, at: T(2) } },
    ]);
    // `second` has no breakpoint: it is created with its job as usual.
    expect(work(r, 'e.0', 3).map((e) => e.type)).toEqual(['TaskRunSucceeded', 'TaskRunCreated']);
    expect(work(r, 'e.1', 5).map((e) => e.type)).toEqual(['TaskRunSucceeded', 'TaskRunCreated', 'TaskRunBreakpointReached', 'ExecutionStateChanged']);
    expect(r.execution.state).toBe('PAUSED');
  });

  it('STEP pauses before the next task too (step mode on)', () => {
    const r = run({ breakpoints: ['first'] });
    r.when({ type: 'AdvanceExecution', executionId: 'e', now: T(1) });
    r.when({ type: 'ResolveBreakpoint', executionId: 'e', action: 'STEP', now: T(2) });
    const next = work(r, 'e.0', 3);
    expect(next.slice(1)).toEqual([
      { type: 'TaskRunCreated', data: { taskRunId: 'e.1', taskId: 'second', at: T(4) } },
      { type: 'TaskRunBreakpointReached', data: { taskRunId: 'e.1', taskId: 'second', properties: { message: 'after e' }, at: T(4) } },
      { type: 'ExecutionStateChanged', data: { state: 'PAUSED', reason: 'breakpoint before task second', at: T(4) } },
    ]);
  });

  it('SKIP ends the task run SKIPPED and goes on', () => {
    const r = run({ stepMode: true });
    r.when({ type: 'AdvanceExecution', executionId: 'e', now: T(1) });
    const skipped = r.when({ type: 'ResolveBreakpoint', executionId: 'e', action: 'SKIP', now: T(2) });
    expect(skipped.slice(0, 3)).toEqual([
      { type: 'BreakpointResolved', data: { taskRunId: 'e.0', action: 'SKIP', at: T(2) } },
      { type: 'TaskRunStateChanged', data: { taskRunId: 'e.0', state: 'SKIPPED', at: T(2) } },
      { type: 'ExecutionStateChanged', data: { state: 'RUNNING', reason: 'pause ended', at: T(2) } },
    ]);
    // Still stepping: the next task stops too.
    expect(skipped.slice(3).map((e) => e.type)).toEqual(['TaskRunCreated', 'TaskRunBreakpointReached', 'ExecutionStateChanged']);
  });

  it('abort is a kill: the held task run and the execution end KILLED', () => {
    const r = run({ breakpoints: ['first'] });
    r.when({ type: 'AdvanceExecution', executionId: 'e', now: T(1) });
    r.when({ type: 'KillExecution', executionId: 'e', now: T(2) });
    expect(r.execution.state).toBe('KILLED');
    expect(r.execution.taskRuns[0]!.state).toBe('KILLED');
  });

  it('a plain resume at a breakpoint continues', () => {
    const r = run({ breakpoints: ['first'] });
    r.when({ type: 'AdvanceExecution', executionId: 'e', now: T(1) });
    const resumed = r.when({ type: 'ResumeExecution', executionId: 'e', now: T(2) });
    expect(resumed.map((e) => e.type)).toEqual(['ExecutionStateChanged', 'BreakpointResolved', 'TaskRunAttemptCreated']);
    expect(r.execution.state).toBe('RUNNING');
  });

  it('a duplicate answer decides nothing', () => {
    const r = run({ breakpoints: ['first'] });
    r.when({ type: 'AdvanceExecution', executionId: 'e', now: T(1) });
    r.when({ type: 'ResolveBreakpoint', executionId: 'e', action: 'CONTINUE', now: T(2) });
    spec.given(r.events).when({ type: 'ResolveBreakpoint', executionId: 'e', action: 'CONTINUE', now: T(3) }, ctx).thenNothingHappened();
  });

  it('shows a property that cannot be rendered as the hold\'s error; the task then fails as its first attempt', () => {
    const broken = parseFlow('id: f\nnamespace: n\ntasks:\n  - id: a\n    type: Log\n    message: "{{ outputs.missing.value }}"\n', CORE_TASK_CATALOG, 1);
    const events = decide({ type: 'CreateExecution', executionId: 'e', flow: broken, inputs: {}, options: { stepMode: true }, now: T(0) }, undefined);
    events.push(...decide({ type: 'AdvanceExecution', executionId: 'e', now: T(1) }, foldExecution(events), { taskTypes: CORE_TASK_CATALOG, flow: broken, localTasks: false }));
    expect(foldCreated(events).taskRuns[0]!.breakpoint?.error).toMatch(/task a, property "message"/);
    events.push(...decide({ type: 'ResolveBreakpoint', executionId: 'e', action: 'CONTINUE', now: T(2) }, foldExecution(events), { taskTypes: CORE_TASK_CATALOG, flow: broken, localTasks: false }));
    expect(foldCreated(events).state).toBe('FAILED');
  });

  it('a breakpoint before a task with locks: the lock is asked for once the operator continues', () => {
    const locked = parseFlow('id: f\nnamespace: n\ntasks:\n  - id: a\n    type: Log\n    message: x\n    locks: [shared]\n', CORE_TASK_CATALOG, 1);
    const events = decide({ type: 'CreateExecution', executionId: 'e', flow: locked, inputs: {}, options: { breakpoints: ['a'] }, now: T(0) }, undefined);
    events.push(...decide({ type: 'AdvanceExecution', executionId: 'e', now: T(1) }, foldExecution(events), { taskTypes: CORE_TASK_CATALOG, flow: locked, localTasks: false }));
    const resolved = decide({ type: 'ResolveBreakpoint', executionId: 'e', action: 'CONTINUE', now: T(2) }, foldExecution(events), { taskTypes: CORE_TASK_CATALOG, flow: locked, localTasks: false });
    expect(resolved.map((e) => e.type)).toEqual(['BreakpointResolved', 'ExecutionStateChanged', 'LocksRequested']);
  });
});
