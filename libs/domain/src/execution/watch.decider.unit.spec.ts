import { describe, expect, it } from 'vitest';
import { parseFlow } from '../flow/flow.parser.js';
import { T } from '../testing/execution-scenario.js';
import type { ExecutionCommand } from './execution.commands.js';
import { decide, evolve } from './execution.decider.js';
import type { ExecutionEvent } from './execution.events.js';
import type { Execution, ExecutionState } from './execution.state.js';
import type { FlowDefinition } from '../flow/flow.model.js';
import { CORE_TASK_CATALOG } from '../task-types/core-task-catalog.js';

class Run {
  state: ExecutionState;
  constructor(readonly flow: FlowDefinition, readonly id: string) {
    this.when({ type: 'CreateExecution', executionId: id, flow, inputs: {}, now: T(0) });
  }
  get execution(): Execution { return this.state as Execution; }
  when(command: ExecutionCommand): ExecutionEvent[] {
    const events = decide(command, this.state, { taskTypes: CORE_TASK_CATALOG, flow: this.flow, localTasks: false });
    for (const e of events) this.state = evolve(this.state, e);
    return events;
  }
}

const waiter = parseFlow(`id: waiter
namespace: team
tasks:
  - id: wait
    type: io.chronicle.plugin.core.execution.WaitForExecution
    executionId: "{{ trigger.target ?? 'other' }}"
    states: [SUCCESS, WARNING]
  - { id: after, type: Log, message: "other ended {{ outputs.wait.state }}" }
`, CORE_TASK_CATALOG, 1);
const target = (namespace: string) => parseFlow(`id: target\nnamespace: ${namespace}\ntasks:\n  - { id: work, type: Log, message: hi }\n`, CORE_TASK_CATALOG, 1);

describe('WaitForExecution: wait for another execution to end (pushed by the target, no polling)', () => {
  it('asks the target; the target keeps the watcher and tells it when it ends; the task succeeds on a wanted state', () => {
    const w = new Run(waiter, 'w');
    const asked = w.when({ type: 'AdvanceExecution', executionId: 'w', now: T(1) });
    expect(asked.find((e) => e.type === 'ExecutionWatchRequested')?.data).toEqual({ taskRunId: 'w.0', targetExecutionId: 'other', namespace: 'team', states: ['SUCCESS', 'WARNING'], at: T(1) });
    expect(w.execution.taskRuns[0]).toMatchObject({ state: 'RUNNING', outputs: { executionId: 'other' } });

    const t = new Run(target('team.sub'), 'other');
    t.when({ type: 'AdvanceExecution', executionId: 'other', now: T(1) });
    expect(t.when({ type: 'WatchExecution', executionId: 'other', watcher: { executionId: 'w', taskRunId: 'w.0', namespace: 'team' }, now: T(2) }).map((e) => e.type)).toEqual(['ExecutionWatched']);
    // A duplicate watch (redelivery) changes nothing.
    expect(t.when({ type: 'WatchExecution', executionId: 'other', watcher: { executionId: 'w', taskRunId: 'w.0', namespace: 'team' }, now: T(2) })).toEqual([]);
    const ended = t.when({ type: 'CompleteTaskRun', executionId: 'other', taskRunId: 'other.0', attempt: 1, outputs: {}, now: T(3) });
    expect(ended.at(-1)).toEqual({ type: 'ExecutionEndNotified', data: { watcher: { executionId: 'w', taskRunId: 'w.0' }, state: 'SUCCESS', at: T(3) } });
    expect(t.execution.watchers).toEqual([]);

    w.when({ type: 'WatchedExecutionEnded', executionId: 'w', taskRunId: 'w.0', watchedExecutionId: 'other', state: 'SUCCESS', now: T(4) });
    expect(w.execution.taskRuns.map((r) => `${r.taskId}:${r.state}`)).toEqual(['wait:SUCCESS', 'after:CREATED']);
    expect(w.execution.taskRuns[0]!.outputs).toEqual({ executionId: 'other', state: 'SUCCESS' });
  });

  it('an ended target answers at once; an unwanted end state fails the task', () => {
    const t = new Run(target('team'), 'other');
    t.when({ type: 'KillExecution', executionId: 'other', now: T(1) });
    const answer = t.when({ type: 'WatchExecution', executionId: 'other', watcher: { executionId: 'w', taskRunId: 'w.0', namespace: 'team' }, now: T(2) });
    expect(answer).toEqual([{ type: 'ExecutionEndNotified', data: { watcher: { executionId: 'w', taskRunId: 'w.0' }, state: 'KILLED', at: T(2) } }]);
    expect(t.execution.watchers).toBeUndefined();

    const w = new Run(waiter, 'w');
    w.when({ type: 'AdvanceExecution', executionId: 'w', now: T(1) });
    w.when({ type: 'WatchedExecutionEnded', executionId: 'w', taskRunId: 'w.0', watchedExecutionId: 'other', state: 'KILLED', now: T(3) });
    expect(w.execution.taskRuns[0]).toMatchObject({ state: 'FAILED', error: 'execution other ended KILLED, not SUCCESS or WARNING' });
    expect(w.execution.state).toBe('FAILED');
  });

  it('refuses a watcher from a namespace that may not see the target (told as of an execution that does not exist: no namespace, no state), and a wait for itself', () => {
    const t = new Run(target('finance'), 'other');
    const refused = t.when({ type: 'WatchExecution', executionId: 'other', watcher: { executionId: 'w', taskRunId: 'w.0', namespace: 'team' }, now: T(2) });
    expect(refused).toMatchObject([{ type: 'ExecutionEndNotified', data: { state: 'FAILED', error: 'execution other does not exist' } }]);
    expect(JSON.stringify(refused)).not.toContain('finance');
    expect(t.execution.watchers).toBeUndefined();

    const self = parseFlow(`id: self\nnamespace: team\ntasks:\n  - { id: wait, type: WaitForExecution, executionId: "{{ execution.id }}" }\n`, CORE_TASK_CATALOG, 1);
    const s = new Run(self, 's');
    s.when({ type: 'AdvanceExecution', executionId: 's', now: T(1) });
    expect(s.execution.taskRuns[0]).toMatchObject({ state: 'FAILED', error: 'task wait: an execution cannot wait for itself' });
  });

  it('checks its properties at deploy', () => {
    expect(() => parseFlow(`id: f\nnamespace: n\ntasks:\n  - { id: w, type: WaitForExecution }\n`, CORE_TASK_CATALOG, 1)).toThrow(/executionId/);
    expect(() => parseFlow(`id: f\nnamespace: n\ntasks:\n  - { id: w, type: WaitForExecution, executionId: x, states: [STARTED] }\n`, CORE_TASK_CATALOG, 1)).toThrow(/states.*must be a list of execution states: QUEUED, RUNNING, PAUSED/);
    expect(() => parseFlow(`id: f\nnamespace: n\ntasks:\n  - { id: w, type: WaitForExecution, executionId: x, states: [CREATED] }\n`, CORE_TASK_CATALOG, 1)).toThrow(/states/);
    expect(() => parseFlow(`id: f\nnamespace: n\ntasks:\n  - { id: w, type: WaitForExecution, executionId: x, labels: { a: b } }\n`, CORE_TASK_CATALOG, 1)).toThrow(/either "executionId" or "labels", not both/);
    expect(() => parseFlow(`id: f\nnamespace: n\ntasks:\n  - { id: w, type: WaitForExecution, labels: [a] }\n`, CORE_TASK_CATALOG, 1)).toThrow(/labels.*must be a map of label names to values/);
    expect(() => parseFlow(`id: f\nnamespace: n\ntasks:\n  - { id: w, type: WaitForExecution, labels: {} }\n`, CORE_TASK_CATALOG, 1)).toThrow(/labels/);
    expect(parseFlow(`id: f\nnamespace: n\ntasks:\n  - { id: w, type: WaitForExecution, labels: { release: "{{ inputs.r }}" }, states: [RUNNING, PAUSED] }\n`, CORE_TASK_CATALOG, 1).tasks[0]!.type).toBe('WaitForExecution');
  });
});

const gate = parseFlow(`id: gate\nnamespace: team\ntasks:\n  - { id: hold, type: Pause }\n  - { id: work, type: Log, message: hi }\n`, CORE_TASK_CATALOG, 1);
const waitingFor = (states: string, extra = '') => parseFlow(`id: waiter
namespace: team
tasks:
  - { id: wait, type: WaitForExecution, executionId: other, states: [${states}]${extra} }
`, CORE_TASK_CATALOG, 1);

describe('WaitForExecution: non-terminal states, labels, timeout', () => {
  it('is told when the target enters a wanted non-terminal state, even one it only passes through in a decision, and only once', () => {
    const t = new Run(gate, 'other');
    const watcher = (taskRunId: string, states: string[]) => ({ executionId: 'w', taskRunId, namespace: 'team', states: states as never });
    expect(t.when({ type: 'WatchExecution', executionId: 'other', watcher: watcher('w.0', ['RUNNING']), now: T(1) }).map((e) => e.type)).toEqual(['ExecutionWatched']);
    expect(t.when({ type: 'WatchExecution', executionId: 'other', watcher: watcher('w.1', ['PAUSED']), now: T(1) }).map((e) => e.type)).toEqual(['ExecutionWatched']);
    // CREATED -> RUNNING -> PAUSED (the Pause task) in one decision: each watcher is told its own state.
    const started = t.when({ type: 'AdvanceExecution', executionId: 'other', now: T(2) });
    expect(t.execution.state).toBe('PAUSED');
    expect(started.filter((e) => e.type === 'ExecutionEndNotified').map((e) => e.data)).toEqual([
      { watcher: { executionId: 'w', taskRunId: 'w.0' }, state: 'RUNNING', at: T(2) },
      { watcher: { executionId: 'w', taskRunId: 'w.1' }, state: 'PAUSED', at: T(2) },
    ]);
    expect(t.execution.watchers).toEqual([]);
    // Told once: the end later tells nobody.
    const resumed = t.when({ type: 'ResumeExecution', executionId: 'other', now: T(3) });
    expect(resumed.some((e) => e.type === 'ExecutionEndNotified')).toBe(false);
    // Already in the wanted state: told at once, not kept.
    expect(t.when({ type: 'WatchExecution', executionId: 'other', watcher: watcher('w.2', ['RUNNING']), now: T(4) })).toEqual([
      { type: 'ExecutionEndNotified', data: { watcher: { executionId: 'w', taskRunId: 'w.2' }, state: 'RUNNING', at: T(4) } },
    ]);
  });

  it('a target that ends without entering the wanted state fails the task, naming both', () => {
    const t = new Run(target('team'), 'other');
    t.when({ type: 'WatchExecution', executionId: 'other', watcher: { executionId: 'w', taskRunId: 'w.0', namespace: 'team', states: ['PAUSED'] }, now: T(1) });
    t.when({ type: 'AdvanceExecution', executionId: 'other', now: T(2) });
    const ended = t.when({ type: 'CompleteTaskRun', executionId: 'other', taskRunId: 'other.0', attempt: 1, outputs: {}, now: T(3) });
    expect(ended.filter((e) => e.type === 'ExecutionEndNotified').map((e) => e.data.state)).toEqual(['SUCCESS']);

    const w = new Run(waitingFor('PAUSED'), 'w');
    w.when({ type: 'AdvanceExecution', executionId: 'w', now: T(1) });
    w.when({ type: 'WatchedExecutionEnded', executionId: 'w', taskRunId: 'w.0', watchedExecutionId: 'other', state: 'SUCCESS', now: T(4) });
    expect(w.execution.taskRuns[0]).toMatchObject({ state: 'FAILED', error: 'execution other ended SUCCESS, not PAUSED', outputs: { executionId: 'other', state: 'SUCCESS' } });
  });

  it('labels: the executor\'s lookup chooses the target; none found, or no read model, fails the task; a redelivery decides nothing', () => {
    const byLabels = parseFlow(`id: waiter
namespace: team
tasks:
  - { id: wait, type: WaitForExecution, labels: { release: "{{ trigger.release ?? '7' }}" }, states: [RUNNING] }
`, CORE_TASK_CATALOG, 1);
    const w = new Run(byLabels, 'w');
    const asked = w.when({ type: 'AdvanceExecution', executionId: 'w', now: T(1) });
    expect(asked.find((e) => e.type === 'ExecutionWatchRequested')?.data).toEqual({ taskRunId: 'w.0', targetLabels: { release: '7' }, namespace: 'team', states: ['RUNNING'], at: T(1) });
    const resolve = { type: 'ResolveWatchTarget' as const, executionId: 'w', taskRunId: 'w.0', labels: { release: '7' }, now: T(2) };
    expect(w.when({ ...resolve, match: 'deploy-7' })).toEqual([
      { type: 'ExecutionWatchRequested', data: { taskRunId: 'w.0', targetExecutionId: 'deploy-7', namespace: 'team', states: ['RUNNING'], at: T(2) } },
    ]);
    expect(w.execution.taskRuns[0]!.outputs).toEqual({ executionId: 'deploy-7' });
    expect(w.when({ ...resolve, match: 'deploy-8' })).toEqual([]);
    // An answer from another execution than the chosen one is stale.
    w.when({ type: 'WatchedExecutionEnded', executionId: 'w', taskRunId: 'w.0', watchedExecutionId: 'deploy-8', state: 'RUNNING', now: T(3) });
    expect(w.execution.taskRuns[0]!.state).toBe('RUNNING');
    w.when({ type: 'WatchedExecutionEnded', executionId: 'w', taskRunId: 'w.0', watchedExecutionId: 'deploy-7', state: 'RUNNING', now: T(3) });
    expect(w.execution.taskRuns[0]).toMatchObject({ state: 'SUCCESS', outputs: { executionId: 'deploy-7', state: 'RUNNING' } });

    const none = new Run(byLabels, 'n');
    none.when({ type: 'AdvanceExecution', executionId: 'n', now: T(1) });
    none.when({ ...resolve, executionId: 'n', taskRunId: 'n.0', match: null });
    expect(none.execution.taskRuns[0]).toMatchObject({ state: 'FAILED', error: 'task wait: no execution of namespace team (or below it) has the labels release=7' });
    expect(none.execution.state).toBe('FAILED');

    const blind = new Run(byLabels, 'b');
    blind.when({ type: 'AdvanceExecution', executionId: 'b', now: T(1) });
    blind.when({ ...resolve, executionId: 'b', taskRunId: 'b.0' });
    expect(blind.execution.taskRuns[0]!.error).toMatch(/needs the read model/);
  });

  it('timeout: a durable task timer fails the wait; a wait that is answered first cancels it', () => {
    const timed = waitingFor('RUNNING', ', timeout: PT5S');
    const late = new Run(timed, 'w');
    const started = late.when({ type: 'AdvanceExecution', executionId: 'w', now: T(1) });
    const timer = started.find((e) => e.type === 'TimerScheduled');
    expect(timer?.data).toMatchObject({ purpose: 'timeout', taskRunId: 'w.0' });
    late.when({ type: 'FireTimer', executionId: 'w', timerId: (timer!.data as { timerId: string }).timerId, now: T(6) });
    expect(late.execution.taskRuns[0]!.state).toBe('FAILED');
    expect(late.execution.taskRuns[0]!.error).toMatch(/timeout|timed out/i);
    // The answer after the timeout changes nothing.
    expect(late.when({ type: 'WatchedExecutionEnded', executionId: 'w', taskRunId: 'w.0', watchedExecutionId: 'other', state: 'RUNNING', now: T(7) })).toEqual([]);

    const early = new Run(timed, 'e');
    early.when({ type: 'AdvanceExecution', executionId: 'e', now: T(1) });
    const told = early.when({ type: 'WatchedExecutionEnded', executionId: 'e', taskRunId: 'e.0', watchedExecutionId: 'other', state: 'RUNNING', now: T(2) });
    expect(told.filter((e) => e.type === 'TimerCancelled')).toHaveLength(1);
    expect(early.execution.state).toBe('SUCCESS');
    expect(early.execution.timers).toEqual([]);
  });
});
