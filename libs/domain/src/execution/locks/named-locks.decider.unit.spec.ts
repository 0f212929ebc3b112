import { describe, expect, it } from 'vitest';
import { parseFlow } from '../../flow/flow.parser.js';
import { FlowValidationError } from '../../flow/flow-validation.error.js';
import { DeciderSpecification } from '../../testing/decider-specification.js';
import { foldCreated, T } from '../../testing/execution-scenario.js';
import type { ExecutionCommand } from '../execution.commands.js';
import { decide, executionDecider } from '../execution.decider.js';
import type { ExecutionEvent } from '../execution.events.js';
import { foldExecution } from '../execution.fold.js';
import { LockNameError } from './lock-names.render.js';
import { CORE_TASK_CATALOG } from '../../task-types/core-task-catalog.js';

const spec = DeciderSpecification.for(executionDecider);

const flowLocked = parseFlow(`id: deploy
namespace: ops
inputs:
  - id: host
    type: STRING
locks: [db-migration, "host:{{ inputs.host }}"]
tasks:
  - id: a
    type: Log
    message: hi
`, CORE_TASK_CATALOG, 1);

const taskLocked = parseFlow(`id: nightly
namespace: ops
tasks:
  - id: first
    type: Log
    message: one
  - id: export
    type: Log
    message: two
    locks: ["exports/{{ flow.id }}"]
`, CORE_TASK_CATALOG, 1);

const ctx = (flow = flowLocked) => ({ flow, taskTypes: CORE_TASK_CATALOG, localTasks: false });
const create = (flow = flowLocked, inputs: Record<string, unknown> = { host: 'web-01' }): ExecutionCommand =>
  ({ type: 'CreateExecution', executionId: 'e', flow, inputs, now: T(0) });
const created = (flow = flowLocked, inputs: Record<string, unknown> = { host: 'web-01' }): ExecutionEvent[] => decide(create(flow, inputs), undefined);

describe('named locks: deploy', () => {
  it('refuses a literal that is not a lock name, naming the entry', () => {
    const bad = () => parseFlow('id: f\nnamespace: n\nlocks: ["has space"]\ntasks:\n  - id: a\n    type: Log\n    message: x\n', CORE_TASK_CATALOG);
    expect(bad).toThrow(FlowValidationError);
    expect(bad).toThrow(/locks\[0\].*"has space" is not a lock name/s);
  });

  it('refuses a task lock that is not a list of names, and a duplicate', () => {
    expect(() => parseFlow('id: f\nnamespace: n\ntasks:\n  - id: a\n    type: Log\n    message: x\n    locks: {a: 1}\n', CORE_TASK_CATALOG)).toThrow(/tasks\[0\]\.locks.*must be a list of lock names/s);
    expect(() => parseFlow('id: f\nnamespace: n\nlocks: [a, a]\ntasks:\n  - id: a\n    type: Log\n    message: x\n', CORE_TASK_CATALOG)).toThrow(/lock "a" is listed twice/);
  });

  it('keeps names and expressions on the flow and the task', () => {
    expect(flowLocked.locks).toEqual(['db-migration', 'host:{{ inputs.host }}']);
    expect(taskLocked.tasks[1]!.locks).toEqual(['exports/{{ flow.id }}']);
    expect(taskLocked.tasks[1]!.properties).toEqual({ message: 'two' });
  });
});

describe('named locks: the execution holds its flow locks', () => {
  it('renders the flow locks at creation, sorted', () => {
    const [event] = created();
    expect(event!.type === 'ExecutionCreated' && event!.data.locks).toEqual(['db-migration', 'host:web-01']);
  });

  it('refuses the start when an expression renders to no lock name, naming the entry', () => {
    expect(() => created(flowLocked, { host: 'two words' })).toThrow(LockNameError);
    expect(() => created(flowLocked, { host: 'two words' })).toThrow(/^locks\[1\] rendered "host:two words" is not a lock name/);
  });

  it('given created, when advanced, then it asks for all its locks and stays CREATED', () => {
    spec.given(created()).when({ type: 'AdvanceExecution', executionId: 'e', now: T(1) }, ctx()).then([
      { type: 'LocksRequested', data: { holder: 'e', names: ['db-migration', 'host:web-01'], namespace: 'ops', flowId: 'deploy', priority: 0, at: T(1) } },
    ]);
  });

  it('given it waits, when advanced again, then nothing happens (it asked once)', () => {
    const waiting = [...created(), { type: 'LocksRequested', data: { holder: 'e', names: ['db-migration', 'host:web-01'], namespace: 'ops', flowId: 'deploy', priority: 0, at: T(1) } } as ExecutionEvent];
    spec.given(waiting).when({ type: 'AdvanceExecution', executionId: 'e', now: T(2) }, ctx()).thenNothingHappened();
  });

  it('given it waits, when the locks are granted, then it starts', () => {
    const waiting = [...created(), { type: 'LocksRequested', data: { holder: 'e', names: ['db-migration', 'host:web-01'], namespace: 'ops', flowId: 'deploy', priority: 0, at: T(1) } } as ExecutionEvent];
    const events = decide({ type: 'GrantLocks', executionId: 'e', holder: 'e', names: ['db-migration', 'host:web-01'], now: T(2) }, foldExecution(waiting), ctx());
    expect(events.slice(0, 2)).toEqual([
      { type: 'LocksAcquired', data: { holder: 'e', names: ['db-migration', 'host:web-01'], at: T(2) } },
      { type: 'ExecutionStarted', data: { at: T(2) } },
    ]);
    expect(events[2]!.type).toBe('TaskRunCreated');
  });

  it('a duplicate grant decides nothing', () => {
    const holding: ExecutionEvent[] = [
      ...created(),
      { type: 'LocksRequested', data: { holder: 'e', names: ['db-migration'], namespace: 'ops', flowId: 'deploy', priority: 0, at: T(1) } },
      { type: 'LocksAcquired', data: { holder: 'e', names: ['db-migration'], at: T(2) } },
    ];
    spec.given(holding).when({ type: 'GrantLocks', executionId: 'e', holder: 'e', names: ['db-migration'], now: T(3) }, ctx()).thenNothingHappened();
  });

  it('given it waits, when killed, then it is KILLED and withdraws its claim', () => {
    const waiting = [...created(), { type: 'LocksRequested', data: { holder: 'e', names: ['db-migration', 'host:web-01'], namespace: 'ops', flowId: 'deploy', priority: 0, at: T(1) } } as ExecutionEvent];
    spec.given(waiting).when({ type: 'KillExecution', executionId: 'e', now: T(3) }, ctx()).then([
      { type: 'ExecutionStateChanged', data: { state: 'KILLED', reason: 'killed on request', at: T(3) } },
      { type: 'LocksReleased', data: { holder: 'e', names: ['db-migration', 'host:web-01'], held: false, at: T(3) } },
    ]);
  });

  it('releases its locks in the decision that ends it', () => {
    const run = [...created()];
    const step = (command: ExecutionCommand) => run.push(...decide(command, foldCreated(run), ctx()));
    step({ type: 'AdvanceExecution', executionId: 'e', now: T(1) });
    step({ type: 'GrantLocks', executionId: 'e', holder: 'e', names: ['db-migration', 'host:web-01'], now: T(2) });
    step({ type: 'StartTaskRun', executionId: 'e', taskRunId: 'e.0', attempt: 1, now: T(3) });
    const last = decide({ type: 'CompleteTaskRun', executionId: 'e', taskRunId: 'e.0', attempt: 1, outputs: {}, now: T(4) }, foldCreated(run), ctx());
    expect(last.map((e) => e.type)).toEqual(['TaskRunSucceeded', 'ExecutionSucceeded', 'LocksReleased']);
    expect(last[2]).toEqual({ type: 'LocksReleased', data: { holder: 'e', names: ['db-migration', 'host:web-01'], held: true, at: T(4) } });
  });

  it('records a force release and goes on without that lock', () => {
    const holding: ExecutionEvent[] = [
      ...created(),
      { type: 'LocksRequested', data: { holder: 'e', names: ['db-migration', 'host:web-01'], namespace: 'ops', flowId: 'deploy', priority: 0, at: T(1) } },
      { type: 'LocksAcquired', data: { holder: 'e', names: ['db-migration', 'host:web-01'], at: T(2) } },
    ];
    spec.given(holding).when({ type: 'RevokeLock', executionId: 'e', holder: 'e', name: 'db-migration', by: 'admin', now: T(3) }, ctx()).then([
      { type: 'LockRevoked', data: { holder: 'e', name: 'db-migration', by: 'admin', at: T(3) } },
    ]);
    expect(foldCreated([...holding, { type: 'LockRevoked', data: { holder: 'e', name: 'db-migration', by: 'admin', at: T(3) } }]).lockClaims)
      .toEqual([{ holder: 'e', names: ['host:web-01'], state: 'HELD', since: T(2) }]);
  });

  it('asks with the run priority', () => {
    const events = decide({ ...create(), options: { priority: 7 } } as ExecutionCommand, undefined);
    spec.given(events).when({ type: 'AdvanceExecution', executionId: 'e', now: T(1) }, ctx()).then([
      { type: 'LocksRequested', data: { holder: 'e', names: ['db-migration', 'host:web-01'], namespace: 'ops', flowId: 'deploy', priority: 7, at: T(1) } },
    ]);
  });
});

describe('named locks: a task holds its locks while it runs', () => {
  const history = (): ExecutionEvent[] => {
    const run = created(taskLocked, {});
    const step = (command: ExecutionCommand) => run.push(...decide(command, foldCreated(run), ctx(taskLocked)));
    step({ type: 'AdvanceExecution', executionId: 'e', now: T(1) });
    step({ type: 'StartTaskRun', executionId: 'e', taskRunId: 'e.0', attempt: 1, now: T(2) });
    return run;
  };

  it('given the task before it ended, then the locked task is created without a job and asks for its lock', () => {
    spec.given(history()).when({ type: 'CompleteTaskRun', executionId: 'e', taskRunId: 'e.0', attempt: 1, outputs: {}, now: T(3) }, ctx(taskLocked)).then([
      { type: 'TaskRunSucceeded', data: { taskRunId: 'e.0', attempt: 1, outputs: {}, at: T(3) } },
      { type: 'TaskRunCreated', data: { taskRunId: 'e.1', taskId: 'export', at: T(3) } },
      { type: 'LocksRequested', data: { holder: 'e.1', taskRunId: 'e.1', names: ['exports/nightly'], namespace: 'ops', flowId: 'nightly', priority: 0, at: T(3) } },
    ]);
  });

  it('given it waits, when granted, then its first attempt goes to a worker with its job', () => {
    const run = history();
    run.push(...decide({ type: 'CompleteTaskRun', executionId: 'e', taskRunId: 'e.0', attempt: 1, outputs: {}, now: T(3) }, foldCreated(run), ctx(taskLocked)));
    const events = decide({ type: 'GrantLocks', executionId: 'e', holder: 'e.1', names: ['exports/nightly'], now: T(4) }, foldCreated(run), ctx(taskLocked));
    expect(events).toEqual([
      { type: 'LocksAcquired', data: { holder: 'e.1', taskRunId: 'e.1', names: ['exports/nightly'], at: T(4) } },
      { type: 'TaskRunAttemptCreated', data: { taskRunId: 'e.1', attempt: 1, job: { executionId: 'e', taskRunId: 'e.1', taskId: 'export', attempt: 1, type: 'Log', properties: { message: 'two' } }, at: T(4) } },
    ]);
    run.push(...events);
    run.push(...decide({ type: 'StartTaskRun', executionId: 'e', taskRunId: 'e.1', attempt: 1, now: T(5) }, foldCreated(run), ctx(taskLocked)));
    const end = decide({ type: 'CompleteTaskRun', executionId: 'e', taskRunId: 'e.1', attempt: 1, outputs: {}, now: T(6) }, foldCreated(run), ctx(taskLocked));
    expect(end.map((e) => e.type)).toEqual(['TaskRunSucceeded', 'ExecutionSucceeded', 'LocksReleased']);
  });

  it('a task lock that renders to no lock name fails the task run, naming the property', () => {
    const flow = parseFlow('id: f\nnamespace: n\ntasks:\n  - id: a\n    type: Log\n    message: x\n    locks: ["{{ execution.id }} x"]\n', CORE_TASK_CATALOG, 1);
    const events = decide({ type: 'AdvanceExecution', executionId: 'e', now: T(1) }, foldExecution(decide({ type: 'CreateExecution', executionId: 'e', flow, inputs: {}, now: T(0) }, undefined)), ctx(flow));
    const failed = events.find((e) => e.type === 'TaskRunStateChanged');
    expect(failed?.data).toMatchObject({ taskRunId: 'e.0', state: 'FAILED' });
    expect((failed?.data as { error: string }).error).toMatch(/task a, property "locks\[0\]": rendered "e x" is not a lock name/);
    expect(events.at(-1)?.type).toBe('ExecutionFailed');
  });
});

describe('named locks: restart takes the locks again', () => {
  const failedRun = (flow = flowLocked): ExecutionEvent[] => {
    const run = [...created(flow)];
    const step = (command: ExecutionCommand) => run.push(...decide(command, foldCreated(run), ctx(flow)));
    step({ type: 'AdvanceExecution', executionId: 'e', now: T(1) });
    step({ type: 'GrantLocks', executionId: 'e', holder: 'e', names: ['db-migration', 'host:web-01'], now: T(2) });
    step({ type: 'StartTaskRun', executionId: 'e', taskRunId: 'e.0', attempt: 1, now: T(3) });
    step({ type: 'FailTaskRun', executionId: 'e', taskRunId: 'e.0', attempt: 1, error: 'boom', now: T(4) });
    return run;
  };

  it('given a failed run of a flow with locks (released when it failed), a restart waits RESTARTED and asks for them again', () => {
    const run = failedRun();
    expect(foldCreated(run).state).toBe('FAILED');
    expect(foldCreated(run).lockClaims).toBeUndefined();
    spec.given(run).when({ type: 'RestartExecution', executionId: 'e', now: T(5) }, ctx()).then([
      { type: 'ExecutionStateChanged', data: { state: 'RESTARTED', at: T(5) } },
      { type: 'LocksRequested', data: { holder: 'e', names: ['db-migration', 'host:web-01'], namespace: 'ops', flowId: 'deploy', priority: 0, at: T(5) } },
    ]);
  });

  it('when the locks are granted, the restart goes on: RUNNING, and the failed task runs a second attempt', () => {
    const run = failedRun();
    run.push(...decide({ type: 'RestartExecution', executionId: 'e', now: T(5) }, foldCreated(run), ctx()));
    const events = decide({ type: 'GrantLocks', executionId: 'e', holder: 'e', names: ['db-migration', 'host:web-01'], now: T(6) }, foldCreated(run), ctx());
    expect(events.map((e) => e.type)).toEqual(['LocksAcquired', 'ExecutionStateChanged', 'TaskRunStateChanged', 'TaskRunAttemptCreated']);
    expect(events[1]!.data).toMatchObject({ state: 'RUNNING', reason: 'restarted' });
    expect(events[3]!.data).toMatchObject({ taskRunId: 'e.0', attempt: 2 });
    const after = foldCreated([...run, ...events]);
    expect(after.state).toBe('RUNNING');
    expect(after.lockClaims).toEqual([expect.objectContaining({ holder: 'e', state: 'HELD' })]);
  });

  it('a restart still waiting for its locks can be killed: KILLED at once, its claim withdrawn', () => {
    const run = failedRun();
    run.push(...decide({ type: 'RestartExecution', executionId: 'e', now: T(5) }, foldCreated(run), ctx()));
    const events = decide({ type: 'KillExecution', executionId: 'e', now: T(6) }, foldCreated(run), ctx());
    expect(events.map((e) => [e.type, (e.data as { state?: string }).state])).toEqual([['ExecutionStateChanged', 'KILLED'], ['LocksReleased', undefined]]);
    expect(events[1]!.data).toMatchObject({ holder: 'e', held: false });
  });

  it('a re-run task with locks waits RESTARTED for its claim, then runs its next attempt when granted', () => {
    const run = [...created(taskLocked)];
    const step = (command: ExecutionCommand) => run.push(...decide(command, foldCreated(run), ctx(taskLocked)));
    step({ type: 'AdvanceExecution', executionId: 'e', now: T(1) });
    step({ type: 'StartTaskRun', executionId: 'e', taskRunId: 'e.0', attempt: 1, now: T(2) });
    step({ type: 'CompleteTaskRun', executionId: 'e', taskRunId: 'e.0', attempt: 1, outputs: {}, now: T(3) });
    step({ type: 'GrantLocks', executionId: 'e', holder: 'e.1', names: ['exports/nightly'], now: T(4) });
    step({ type: 'StartTaskRun', executionId: 'e', taskRunId: 'e.1', attempt: 1, now: T(5) });
    step({ type: 'FailTaskRun', executionId: 'e', taskRunId: 'e.1', attempt: 1, error: 'boom', now: T(6) });
    expect(foldCreated(run).state).toBe('FAILED');
    const restarted = decide({ type: 'RestartExecution', executionId: 'e', now: T(7) }, foldCreated(run), ctx(taskLocked));
    expect(restarted.map((e) => e.type)).toEqual(['ExecutionStateChanged', 'ExecutionStateChanged', 'TaskRunStateChanged', 'LocksRequested']);
    expect(restarted[2]!.data).toMatchObject({ taskRunId: 'e.1', state: 'RESTARTED' });
    expect(restarted[3]!.data).toMatchObject({ holder: 'e.1', taskRunId: 'e.1', names: ['exports/nightly'] });
    run.push(...restarted);
    const granted = decide({ type: 'GrantLocks', executionId: 'e', holder: 'e.1', names: ['exports/nightly'], now: T(8) }, foldCreated(run), ctx(taskLocked));
    expect(granted.map((e) => e.type)).toEqual(['LocksAcquired', 'TaskRunAttemptCreated']);
    expect(granted[1]!.data).toMatchObject({ taskRunId: 'e.1', attempt: 2 });
  });
});
