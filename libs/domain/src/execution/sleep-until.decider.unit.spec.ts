import { describe, expect, it } from 'vitest';
import { parseFlow } from '../flow/flow.parser.js';
import { T } from '../testing/execution-scenario.js';
import type { ExecutionCommand } from './execution.commands.js';
import { decide, evolve } from './execution.decider.js';
import type { ExecutionEvent, TimerScheduled } from './execution.events.js';
import type { Execution, ExecutionState } from './execution.state.js';
import type { FlowDefinition } from '../flow/flow.model.js';
import { CORE_TASK_CATALOG } from '../task-types/core-task-catalog.js';

class Run {
  state: ExecutionState;
  constructor(readonly flow: FlowDefinition, readonly id: string, inputs: Record<string, string> = {}) {
    this.when({ type: 'CreateExecution', executionId: id, flow, inputs, now: T(0) });
  }
  get execution(): Execution { return this.state as Execution; }
  when(command: ExecutionCommand): ExecutionEvent[] {
    const events = decide(command, this.state, { taskTypes: CORE_TASK_CATALOG, flow: this.flow, localTasks: false });
    for (const e of events) this.state = evolve(this.state, e);
    return events;
  }
}

const flow = parseFlow(`id: nap
namespace: team
inputs:
  - { id: until, type: STRING }
tasks:
  - { id: nap, type: io.chronicle.plugin.core.flow.SleepUntil, date: "{{ inputs.until }}" }
`, CORE_TASK_CATALOG, 1);
const timerOf = (events: ExecutionEvent[]) => events.find((e): e is TimerScheduled => e.type === 'TimerScheduled')!.data;

describe('SleepUntil (Cloudomation\'s sleep_until): a durable timer at a date', () => {
  it('sleeps until the rendered date, keeps it in its outputs, and ends SUCCESS when the timer fires', () => {
    const until = '2030-01-31T06:00:00+01:00';
    const r = new Run(flow, 'e', { until });
    const started = r.when({ type: 'AdvanceExecution', executionId: 'e', now: T(1) });
    expect(timerOf(started)).toMatchObject({ fireAt: '2030-01-31T05:00:00.000Z', purpose: 'sleep', taskRunId: 'e.0', log: { message: 'Waiting until 2030-01-31T05:00:00.000Z' } });
    expect(r.execution.taskRuns[0]).toMatchObject({ state: 'RUNNING', outputs: { until: '2030-01-31T05:00:00.000Z' } });
    r.when({ type: 'FireTimer', executionId: 'e', timerId: timerOf(started).timerId, now: '2030-01-31T05:00:00.000Z' });
    expect(r.execution.state).toBe('SUCCESS');
  });

  it('a date already past fires at once; a date without a zone or not a date fails the task naming it', () => {
    const r = new Run(flow, 'p', { until: '2000-01-01T00:00:00Z' });
    expect(timerOf(r.when({ type: 'AdvanceExecution', executionId: 'p', now: T(1) })).fireAt).toBe(T(1));
    const local = new Run(flow, 'l', { until: '2030-01-31T06:00:00' });
    local.when({ type: 'AdvanceExecution', executionId: 'l', now: T(1) });
    expect(local.execution.taskRuns[0]).toMatchObject({ state: 'FAILED', error: 'task nap, property "date": "2030-01-31T06:00:00" is not an ISO-8601 date-time with its zone' });
  });

  it('checks a literal date at deploy', () => {
    expect(() => parseFlow(`id: f\nnamespace: n\ntasks:\n  - { id: s, type: SleepUntil }\n`, CORE_TASK_CATALOG, 1)).toThrow(/date/);
    expect(() => parseFlow(`id: f\nnamespace: n\ntasks:\n  - { id: s, type: SleepUntil, date: tomorrow }\n`, CORE_TASK_CATALOG, 1)).toThrow(/"tomorrow" is not an ISO-8601 date-time with its zone/);
    expect(parseFlow(`id: f\nnamespace: n\ntasks:\n  - { id: s, type: SleepUntil, date: "2030-01-01T00:00:00Z" }\n`, CORE_TASK_CATALOG, 1).tasks[0]!.type).toBe('SleepUntil');
  });
});
