import { describe, expect, it } from 'vitest';
import { parseFlow } from '../flow/flow.parser.js';
import { T } from '../testing/execution-scenario.js';
import type { CreateExecution, ExecutionCommand } from './execution.commands.js';
import { decide, evolve } from './execution.decider.js';
import type { ExecutionEvent } from './execution.events.js';
import type { Execution, ExecutionState } from './execution.state.js';
import { RunOptionError, scheduledStartTimerId, type ExecutionOptions } from './run-options.js';
import { CORE_TASK_CATALOG } from '../task-types/core-task-catalog.js';

const flow = parseFlow(`id: f
namespace: n
priority: 2
timeout: PT1H
tasks:
  - id: a
    type: Log
    message: hi
`, CORE_TASK_CATALOG, 1);

/** An execution folded as commands are decided (local tasks off: the test is the worker). */
class Run {
  state: ExecutionState;
  readonly events: ExecutionEvent[] = [];
  constructor(options?: ExecutionOptions, extra: Partial<CreateExecution> = {}) {
    this.when({ type: 'CreateExecution', executionId: 'e', flow, inputs: {}, ...(options ? { options } : {}), ...extra, now: T(0) });
  }
  get execution(): Execution { return this.state as Execution; }
  when(command: ExecutionCommand): ExecutionEvent[] {
    const events = decide(command, this.state, { taskTypes: CORE_TASK_CATALOG, flow, localTasks: false });
    for (const event of events) this.state = evolve(this.state, event);
    this.events.push(...events);
    return events;
  }
}

const refusal = (options: ExecutionOptions): RunOptionError => {
  try {
    decide({ type: 'CreateExecution', executionId: 'e', flow, inputs: {}, options, now: T(0) }, undefined, { taskTypes: CORE_TASK_CATALOG, flow });
  } catch (error) {
    return error as RunOptionError;
  }
  throw new Error('accepted');
};

describe('per-run options at start', () => {
  it('stores priority, name, description and who started it, and reads them back', () => {
    const run = new Run({ priority: 7, name: 'nightly', description: 'the big one', startedBy: { kind: 'token', id: 'ci' } });
    expect(run.execution.options).toEqual({ priority: 7, name: 'nightly', description: 'the big one', startedBy: { kind: 'token', id: 'ci' } });
  });

  it('the run priority overrides the flow priority on every dispatched job', () => {
    const run = new Run({ priority: 9 });
    const events = run.when({ type: 'AdvanceExecution', executionId: 'e', now: T(1) });
    const job = events.find((e) => e.type === 'TaskRunCreated')!.data as { job?: { priority?: number } };
    expect(job.job?.priority).toBe(9);
    expect(((new Run().when({ type: 'AdvanceExecution', executionId: 'e', now: T(1) }).find((e) => e.type === 'TaskRunCreated')!.data) as { job?: { priority?: number } }).job?.priority).toBe(2);
  });

  it('a child names its parent execution, a triggered one its trigger, as who started it', () => {
    expect(new Run(undefined, { parent: { executionId: 'p', taskRunId: 'p.0' } }).execution.options?.startedBy).toEqual({ kind: 'execution', id: 'p' });
    expect(new Run(undefined, { trigger: { id: 'hook', type: 'Webhook' } }).execution.options?.startedBy).toEqual({ kind: 'trigger', id: 'hook' });
    expect(new Run().execution.options).toBeUndefined();
  });

  it('maxRuntime replaces the flow timeout, and the kill says why', () => {
    const run = new Run({ maxRuntime: 'PT5S' });
    run.when({ type: 'AdvanceExecution', executionId: 'e', now: T(1) });
    const timer = run.execution.timers.find((t) => t.purpose === 'timeout')!;
    expect(timer.fireAt).toBe(T(6));
    run.when({ type: 'FireTimer', executionId: 'e', timerId: timer.timerId, now: T(6) });
    // No worker holds the attempt yet: killed at once.
    expect(run.execution.state).toBe('KILLED');
    expect(run.execution.killReason).toBe('the execution exceeded its maxRuntime PT5S');
  });

  it('scheduledAt keeps the execution CREATED on a durable start timer until it fires', () => {
    const run = new Run({ scheduledAt: T(30) });
    expect(run.events.map((e) => e.type)).toEqual(['ExecutionCreated', 'TimerScheduled']);
    expect(run.execution.timers).toEqual([{ timerId: scheduledStartTimerId('e'), fireAt: T(30), purpose: 'start' }]);
    expect(run.when({ type: 'AdvanceExecution', executionId: 'e', now: T(1) })).toEqual([]);
    expect(run.execution.state).toBe('CREATED');
    run.when({ type: 'FireTimer', executionId: 'e', timerId: scheduledStartTimerId('e'), now: T(30) });
    expect(run.execution.state).toBe('RUNNING');
    expect(run.execution.taskRuns.map((t) => t.taskId)).toEqual(['a']);
    // The flow timeout counts from the real start.
    expect(run.execution.timers.find((t) => t.purpose === 'timeout')?.fireAt).toBe(new Date(Date.parse(T(30)) + 3_600_000).toISOString());
  });

  it('a scheduled start waits for a concurrency slot like any start', () => {
    const limited = parseFlow(`id: f
namespace: n
concurrency: { limit: 1 }
tasks:
  - { id: a, type: Log, message: hi }
`, CORE_TASK_CATALOG, 1);
    let state: ExecutionState;
    for (const e of decide({ type: 'CreateExecution', executionId: 'e', flow: limited, inputs: {}, options: { scheduledAt: T(30) }, now: T(0) }, undefined, { taskTypes: CORE_TASK_CATALOG, flow: limited })) state = evolve(state, e);
    for (const e of decide({ type: 'FireTimer', executionId: 'e', timerId: scheduledStartTimerId('e'), concurrency: { running: 1 }, now: T(30) }, state, { taskTypes: CORE_TASK_CATALOG, flow: limited })) state = evolve(state, e);
    expect(state!.state).toBe('QUEUED');
  });

  it('a kill before the start timer fires cancels it; a late fire decides nothing', () => {
    const run = new Run({ scheduledAt: T(30) });
    const killed = run.when({ type: 'KillExecution', executionId: 'e', now: T(2) });
    expect(killed.map((e) => e.type)).toEqual(['TimerCancelled', 'ExecutionStateChanged']);
    expect(run.execution.state).toBe('KILLED');
    expect(run.when({ type: 'FireTimer', executionId: 'e', timerId: scheduledStartTimerId('e'), now: T(30) })).toEqual([]);
  });

  it('refuses bad options naming the field, before anything is written', () => {
    expect(refusal({ priority: -1 })).toMatchObject({ code: 'RUN_OPTION_INVALID', field: 'priority' });
    expect(refusal({ priority: 1.5 }).field).toBe('priority');
    expect(refusal({ maxRuntime: 'ten minutes' })).toMatchObject({ field: 'maxRuntime', message: expect.stringContaining('ISO-8601 duration') });
    expect(refusal({ maxRuntime: 'PT0S' }).field).toBe('maxRuntime');
    expect(refusal({ scheduledAt: T(0) })).toMatchObject({ field: 'scheduledAt', message: expect.stringContaining('in the future') });
    expect(refusal({ scheduledAt: 'tomorrow' }).field).toBe('scheduledAt');
    expect(refusal({ name: 'x'.repeat(201) }).field).toBe('name');
  });
});

describe('steering an execution', () => {
  it('sets the status message, priority and labels at any time, only what changed', () => {
    const run = new Run({ priority: 1 });
    run.when({ type: 'AdvanceExecution', executionId: 'e', now: T(1) });
    const events = run.when({ type: 'UpdateExecution', executionId: 'e', message: 'waiting for the DBA', priority: 5, labels: { team: 'ops' }, now: T(2) });
    expect(events.map((e) => e.type)).toEqual(['ExecutionLabelsChanged', 'ExecutionUpdated']);
    expect(run.execution.options).toMatchObject({ priority: 5, message: 'waiting for the DBA' });
    // system.* labels (the correlation id every execution gets) are kept.
    expect(run.execution.labels).toEqual({ team: 'ops', 'system.correlationId': 'e' });
    expect(run.when({ type: 'UpdateExecution', executionId: 'e', message: 'waiting for the DBA', priority: 5, now: T(3) })).toEqual([]);
    // Ended executions can still be annotated.
    run.when({ type: 'KillExecution', executionId: 'e', now: T(4) });
    run.when({ type: 'FireTimer', executionId: 'e', timerId: 'e:kill', now: T(40) });
    expect(run.execution.state).toBe('KILLED');
    run.when({ type: 'UpdateExecution', executionId: 'e', message: 'killed: wrong input', now: T(41) });
    expect(run.execution.options?.message).toBe('killed: wrong input');
  });

  it('a changed priority goes with the next dispatched attempt', () => {
    const run = new Run();
    run.when({ type: 'UpdateExecution', executionId: 'e', priority: 8, now: T(0) });
    const created = run.when({ type: 'AdvanceExecution', executionId: 'e', now: T(1) }).find((e) => e.type === 'TaskRunCreated')!;
    expect((created.data as { job?: { priority?: number } }).job?.priority).toBe(8);
  });

  it('refuses a negative priority and a change of a system label', () => {
    const run = new Run(undefined, { labels: { 'system.correlationId': 'e' } });
    expect(() => run.when({ type: 'UpdateExecution', executionId: 'e', priority: -3, now: T(1) })).toThrow(/priority must be 0 or more/);
    expect(() => run.when({ type: 'UpdateExecution', executionId: 'e', labels: { 'system.correlationId': 'x' }, now: T(1) })).toThrow(RunOptionError);
    run.when({ type: 'UpdateExecution', executionId: 'e', labels: { a: 'b' }, now: T(1) });
    expect(run.execution.labels).toEqual({ a: 'b', 'system.correlationId': 'e' });
  });

  it('the StatusMessage task sets the message from an expression', () => {
    const withTask = parseFlow(`id: f
namespace: n
tasks:
  - id: say
    type: io.chronicle.plugin.core.execution.StatusMessage
    message: "copying {{ execution.id }}"
`, CORE_TASK_CATALOG, 1);
    let state: ExecutionState;
    for (const e of decide({ type: 'CreateExecution', executionId: 'e', flow: withTask, inputs: {}, now: T(0) }, undefined, { taskTypes: CORE_TASK_CATALOG, flow: withTask })) state = evolve(state, e);
    for (const e of decide({ type: 'AdvanceExecution', executionId: 'e', now: T(1) }, state, { taskTypes: CORE_TASK_CATALOG, flow: withTask })) state = evolve(state, e);
    expect(state!.options?.message).toBe('copying e');
    expect(state!.state).toBe('SUCCESS');
  });

  it('the StatusMessage task needs a message', () => {
    expect(() => parseFlow(`id: f
namespace: n
tasks:
  - id: say
    type: StatusMessage
`, CORE_TASK_CATALOG, 1)).toThrow(/message/);
  });
});

describe('development mode', () => {
  const limited = parseFlow(`id: f
namespace: n
concurrency: { limit: 1, key: "{{ inputs.customer ?? 'all' }}" }
tasks:
  - { id: call, type: Subflow, namespace: n, flowId: child }
`, CORE_TASK_CATALOG, 1);

  it('is stored, takes its own concurrency slots and passes to Subflow children', () => {
    let state: ExecutionState;
    for (const e of decide({ type: 'CreateExecution', executionId: 'e', flow: limited, inputs: {}, options: { mode: 'DEVELOPMENT' }, now: T(0) }, undefined, { taskTypes: CORE_TASK_CATALOG, flow: limited })) state = evolve(state, e);
    expect(state!.options?.mode).toBe('DEVELOPMENT');
    expect(state!.concurrencyKey).toBe('development:all');
    const started = decide({ type: 'AdvanceExecution', executionId: 'e', now: T(1) }, state, { taskTypes: CORE_TASK_CATALOG, flow: limited });
    const child = started.find((e) => e.type === 'ChildExecutionRequested')!.data as unknown as { trigger: { variables: { mode?: string } } };
    expect(child.trigger.variables.mode).toBe('DEVELOPMENT');
    // A productive run keeps the flow's key and passes no mode on.
    const productive = decide({ type: 'CreateExecution', executionId: 'p', flow: limited, inputs: {}, options: { mode: 'PRODUCTIVE' } as never, now: T(0) }, undefined, { taskTypes: CORE_TASK_CATALOG, flow: limited });
    expect(productive[0]!.data).toMatchObject({ concurrencyKey: 'all' });
    expect((productive[0]!.data as { options?: unknown }).options).toBeUndefined();
  });

  it('runs a draft only in DEVELOPMENT mode, and keeps the draft flow for its decisions', () => {
    const draft = parseFlow(`id: f\nnamespace: n\ntasks:\n  - { id: a, type: Log, message: draft }\n`, CORE_TASK_CATALOG, 0);
    expect(() => decide({ type: 'CreateExecution', executionId: 'e', flow: draft, inputs: {}, draft: true, now: T(0) }, undefined, { taskTypes: CORE_TASK_CATALOG, flow: draft })).toThrow(/mode must be DEVELOPMENT to run a draft source/);
    const [created] = decide({ type: 'CreateExecution', executionId: 'e', flow: draft, inputs: {}, draft: true, options: { mode: 'DEVELOPMENT' }, now: T(0) }, undefined, { taskTypes: CORE_TASK_CATALOG, flow: draft });
    expect(evolve(undefined, created!)!.draftFlow).toEqual(draft);
    expect(() => decide({ type: 'CreateExecution', executionId: 'e', flow: draft, inputs: {}, options: { mode: 'TEST' as never }, now: T(0) }, undefined, { taskTypes: CORE_TASK_CATALOG, flow: draft })).toThrow(/mode must be PRODUCTIVE or DEVELOPMENT/);
  });
});
