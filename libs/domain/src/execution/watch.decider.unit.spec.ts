import { describe, expect, it } from 'vitest';
import { parseFlow } from '../flow/flow.parser.js';
import { T } from '../testing/execution-scenario.js';
import type { ExecutionCommand } from './execution.commands.js';
import { decide, evolve } from './execution.decider.js';
import type { ExecutionEvent } from './execution.events.js';
import type { Execution, ExecutionState } from './execution.state.js';
import type { FlowDefinition } from '../flow/flow.model.js';

class Run {
  state: ExecutionState;
  constructor(readonly flow: FlowDefinition, readonly id: string) {
    this.when({ type: 'CreateExecution', executionId: id, flow, inputs: {}, now: T(0) });
  }
  get execution(): Execution { return this.state as Execution; }
  when(command: ExecutionCommand): ExecutionEvent[] {
    const events = decide(command, this.state, { flow: this.flow, localTasks: false });
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
`, 1);
const target = (namespace: string) => parseFlow(`id: target\nnamespace: ${namespace}\ntasks:\n  - { id: work, type: Log, message: hi }\n`, 1);

describe('WaitForExecution: wait for another execution to end (pushed by the target, no polling)', () => {
  it('asks the target; the target keeps the watcher and tells it when it ends; the task succeeds on a wanted state', () => {
    const w = new Run(waiter, 'w');
    const asked = w.when({ type: 'AdvanceExecution', executionId: 'w', now: T(1) });
    expect(asked.find((e) => e.type === 'ExecutionWatchRequested')?.data).toEqual({ taskRunId: 'w.0', targetExecutionId: 'other', namespace: 'team', at: T(1) });
    expect(w.execution.taskRuns[0]!.state).toBe('RUNNING');

    const t = new Run(target('team.sub'), 'other');
    t.when({ type: 'AdvanceExecution', executionId: 'other', now: T(1) });
    expect(t.when({ type: 'WatchExecution', executionId: 'other', watcher: { executionId: 'w', taskRunId: 'w.0', namespace: 'team' }, now: T(2) }).map((e) => e.type)).toEqual(['ExecutionWatched']);
    // A duplicate watch (redelivery) changes nothing.
    expect(t.when({ type: 'WatchExecution', executionId: 'other', watcher: { executionId: 'w', taskRunId: 'w.0', namespace: 'team' }, now: T(2) })).toEqual([]);
    const ended = t.when({ type: 'CompleteTaskRun', executionId: 'other', taskRunId: 'other.0', attempt: 1, outputs: {}, now: T(3) });
    expect(ended.at(-1)).toEqual({ type: 'ExecutionEndNotified', data: { watcher: { executionId: 'w', taskRunId: 'w.0' }, state: 'SUCCESS', at: T(3) } });

    w.when({ type: 'WatchedExecutionEnded', executionId: 'w', taskRunId: 'w.0', watchedExecutionId: 'other', state: 'SUCCESS', now: T(4) });
    expect(w.execution.taskRuns.map((r) => `${r.taskId}:${r.state}`)).toEqual(['wait:SUCCESS', 'after:CREATED']);
    expect(w.execution.taskRuns[0]!.outputs).toEqual({ executionId: 'other', state: 'SUCCESS' });
  });

  it('an ended target answers at once; an unwanted end state fails the task', () => {
    const t = new Run(target('team'), 'other');
    t.when({ type: 'KillExecution', executionId: 'other', now: T(1) });
    const answer = t.when({ type: 'WatchExecution', executionId: 'other', watcher: { executionId: 'w', taskRunId: 'w.0', namespace: 'team' }, now: T(2) });
    expect(answer.map((e) => e.type)).toEqual(['ExecutionWatched', 'ExecutionEndNotified']);

    const w = new Run(waiter, 'w');
    w.when({ type: 'AdvanceExecution', executionId: 'w', now: T(1) });
    w.when({ type: 'WatchedExecutionEnded', executionId: 'w', taskRunId: 'w.0', watchedExecutionId: 'other', state: 'KILLED', now: T(3) });
    expect(w.execution.taskRuns[0]).toMatchObject({ state: 'FAILED', error: 'execution other ended KILLED, not SUCCESS or WARNING' });
    expect(w.execution.state).toBe('FAILED');
  });

  it('refuses a watcher from a namespace that may not see the target, and a wait for itself', () => {
    const t = new Run(target('finance'), 'other');
    const refused = t.when({ type: 'WatchExecution', executionId: 'other', watcher: { executionId: 'w', taskRunId: 'w.0', namespace: 'team' }, now: T(2) });
    expect(refused).toMatchObject([{ type: 'ExecutionEndNotified', data: { error: 'execution other is in namespace finance, which a flow of team may not watch' } }]);
    expect(t.execution.watchers).toBeUndefined();

    const self = parseFlow(`id: self\nnamespace: team\ntasks:\n  - { id: wait, type: WaitForExecution, executionId: "{{ execution.id }}" }\n`, 1);
    const s = new Run(self, 's');
    s.when({ type: 'AdvanceExecution', executionId: 's', now: T(1) });
    expect(s.execution.taskRuns[0]).toMatchObject({ state: 'FAILED', error: 'task wait: an execution cannot wait for itself' });
  });

  it('checks its properties at deploy', () => {
    expect(() => parseFlow(`id: f\nnamespace: n\ntasks:\n  - { id: w, type: WaitForExecution }\n`, 1)).toThrow(/executionId/);
    expect(() => parseFlow(`id: f\nnamespace: n\ntasks:\n  - { id: w, type: WaitForExecution, executionId: x, states: [RUNNING] }\n`, 1)).toThrow(/states/);
  });
});
