import { describe, expect, it } from 'vitest';
import { parseFlow } from '../../flow/flow.parser.js';
import { FlowValidationError } from '../../flow/flow-validation.error.js';
import { Scenario, T } from '../../testing/execution-scenario.js';
import { availableActions } from '../control-acceptance.js';
import { evolve } from '../execution.evolver.js';
import type { ExecutionEvent } from '../execution.events.js';
import type { Execution, ExecutionState } from '../execution.state.js';
import { SavepointNotFoundError } from './rewind.errors.js';
import { ABANDONED_BY_REWIND } from './rewind.evolver.js';
import { withoutSavepointSnapshots } from './savepoints.js';
import { CORE_TASK_CATALOG } from '../../task-types/core-task-catalog.js';

const log = (id: string) => `{ id: ${id}, type: Log, message: ${id} }`;
const flow = (retention?: string, tasks = [log('a'), log('b'), log('c')]) => `id: f
namespace: n
${retention !== undefined ? `savepointRetention: ${retention}\n` : ''}tasks: [${tasks.join(', ')}]
`;

const rewind = (s: Scenario, target: { toRevision?: number; beforeTaskId?: string }, rewindId = 'r1', now = T(20)): ExecutionEvent[] =>
  s.when({ type: 'RewindExecution', executionId: s.id, rewindId, ...target, reason: 'wrong input', by: 'ops', now });

/** a, b, c ran to SUCCESS. */
const succeeded = (retention?: string): Scenario => {
  const s = new Scenario(flow(retention), {}, 'e', false, retention !== undefined ? { savepointRetention: retention } : {});
  s.advance();
  s.complete('a', { n: 1 }, T(2));
  s.complete('b', { n: 2 }, T(3));
  s.complete('c', { n: 3 }, T(4));
  return s;
};

describe('savepoints: a point before each task, kept by savepointRetention', () => {
  it('lists one savepoint before each task run, with the revision the execution was at', () => {
    const s = succeeded();
    const points = s.execution.savepoints!.map(({ revision, taskId, taskRunId }) => ({ revision, taskId, taskRunId }));
    // revision 0: created, 1: started; each task's point is the state right before its TaskRunCreated.
    expect(points.map((p) => p.taskId)).toEqual(['a', 'b', 'c']);
    expect(points[0]).toEqual({ revision: 1, taskId: 'a', taskRunId: 'e.0' });
    const createdAt = (id: string) => s.history.findIndex((e) => e.type === 'TaskRunCreated' && e.data.taskRunId === id);
    expect(points.map((p) => p.revision)).toEqual(['e.0', 'e.1', 'e.2'].map((id) => createdAt(id) - 1));
  });

  it('keeps the newest n with LAST_<n>, the newest with LAST, none with NONE', () => {
    expect(succeeded('LAST_2').execution.savepoints!.map((p) => p.taskId)).toEqual(['b', 'c']);
    expect(succeeded('LAST').execution.savepoints!.map((p) => p.taskId)).toEqual(['c']);
    expect(succeeded('NONE').execution.savepoints ?? []).toEqual([]);
  });

  it('keeps those within a duration of the newest one', () => {
    expect(succeeded('PT1S').execution.savepoints!.map((p) => p.taskId)).toEqual(['b', 'c']);
  });

  it('takes no point inside loop iterations', () => {
    const s = new Scenario(`id: f
namespace: n
tasks:
  - id: each
    type: ForEach
    values: [x, y]
    tasks: [${log('inner')}]
  - ${log('after')}
`);
    s.advance();
    expect(s.execution.savepoints!.map((p) => p.taskId)).toEqual(['each']);
  });

  it('refuses a retention that is not one of the forms, naming the property', () => {
    for (const bad of ['SOME', 'LAST_0', 'LAST_x', 'P', '5']) {
      try {
        parseFlow(flow(bad), CORE_TASK_CATALOG, 1);
        expect.fail(`${bad} was accepted`);
      } catch (error) {
        expect(error).toBeInstanceOf(FlowValidationError);
        expect((error as FlowValidationError).issues.map((i) => i.path)).toEqual(['savepointRetention']);
        expect((error as FlowValidationError).message).toContain('ALL, NONE, LAST, LAST_<n>');
      }
    }
  });
});

describe('RewindExecution: back to a savepoint, in place, with new attempts', () => {
  it('given an ended execution, when rewound before task b, then b runs again as attempt 2 and the log keeps the rewind', () => {
    const s = succeeded();
    const toRevision = s.execution.savepoints![1]!.revision;
    const events = rewind(s, { beforeTaskId: 'b' });
    expect(events.map((e) => e.type)).toEqual(['ExecutionRewound', 'TaskRunCreated']);
    expect(events[0]!.data).toMatchObject({ rewindId: 'r1', toRevision, taskId: 'b', taskRunId: 'e.1', reason: 'wrong input', by: 'ops', at: T(20) });
    expect(events[1]!.data).toMatchObject({ taskRunId: 'e.1', taskId: 'b', job: { attempt: 2 } });
    expect(s.execution.state).toBe('RUNNING');
    expect(s.execution.endDate).toBeUndefined();
    expect(s.states()).toEqual(['a:SUCCESS', 'b:CREATED']);
    expect(s.run('b').attempts.map((a) => `${a.number}:${a.state}`)).toEqual(['1:SUCCESS']);
    expect(s.execution.stateHistory.map((h) => h.state)).toEqual(['CREATED', 'RUNNING', 'SUCCESS', 'RUNNING']);
    expect(s.execution.rewinds).toEqual([{ rewindId: 'r1', revision: expect.any(Number), toRevision, taskId: 'b', taskRunId: 'e.1', reason: 'wrong input', by: 'ops', at: T(20) }]);
    // The savepoints after the one it went back to belong to the abandoned branch.
    expect(s.execution.savepoints!.map((p) => p.taskId)).toEqual(['a', 'b']);

    // A late report of the abandoned attempt is stale; the new attempt runs the execution to its end.
    expect(s.complete('b', {}, T(21), 1)).toEqual([]);
    s.complete('b', { n: 20 }, T(22), 2);
    s.complete('c', {}, T(23), 2);
    expect(s.execution.state).toBe('SUCCESS');
    expect(s.run('b').outputs).toEqual({ n: 20 });
  });

  it('rewinds to a revision, and a redelivered rewind (same rewindId) decides nothing', () => {
    const s = succeeded();
    const first = s.execution.savepoints![0]!;
    expect(rewind(s, { toRevision: first.revision }).map((e) => e.type)).toEqual(['ExecutionRewound', 'TaskRunCreated']);
    expect(s.states()).toEqual(['a:CREATED']);
    expect(rewind(s, { toRevision: first.revision })).toEqual([]);
  });

  it('stops the attempts of the abandoned branch that are still out; their reports are stale', () => {
    const s = new Scenario(flow());
    s.advance();
    s.complete('a', {}, T(2));
    expect(s.execution.state).toBe('RUNNING');
    const events = rewind(s, { beforeTaskId: 'a' });
    expect(events[0]).toEqual({ type: 'TaskRunKillRequested', data: { taskRunId: 'e.1', attempt: 1, at: T(20) } });
    expect(events.map((e) => e.type)).toEqual(['TaskRunKillRequested', 'ExecutionRewound', 'TaskRunCreated']);
    // e.1 (b) exists only in the abandoned branch: its worker's late answer is ignored, not an error.
    expect(s.when({ type: 'FailTaskRun', executionId: 'e', taskRunId: 'e.1', attempt: 1, error: 'killed', killed: true, now: T(21) })).toEqual([]);
    expect(s.run('a').attempts.map((x) => `${x.number}:${x.state}`)).toEqual(['1:SUCCESS']);
    s.complete('a', {}, T(22), 2);
    // b is created again under its old id, after its abandoned attempt.
    expect(s.run('b').attempts.map((x) => `${x.number}:${x.state}:${x.error ?? ''}`)).toEqual([`1:KILLED:${ABANDONED_BY_REWIND}`]);
    expect(s.when({ type: 'StartTaskRun', executionId: 'e', taskRunId: 'e.1', attempt: 1, now: T(23) })).toEqual([]);
    expect(s.when({ type: 'StartTaskRun', executionId: 'e', taskRunId: 'e.1', attempt: 2, now: T(23) }).map((e) => e.type)).toEqual(['TaskRunStarted']);
  });

  it('gives a new attempt to a parallel task the savepoint held running whose result came after it', () => {
    const s = new Scenario(`id: f
namespace: n
tasks:
  - id: par
    type: Parallel
    concurrent: 1
    tasks: [${log('a')}, ${log('b')}]
`);
    s.advance();
    s.complete('a', {}, T(2));
    s.complete('b', {}, T(3));
    expect(s.execution.state).toBe('SUCCESS');
    // Before b, a had ended; before a, nothing ran yet. Rewind before b: a stays SUCCESS, b runs again.
    rewind(s, { beforeTaskId: 'b' });
    expect(s.states()).toEqual(['par:RUNNING', 'a:SUCCESS', 'b:CREATED']);
  });

  it('re-runs an attempt the savepoint held out whose result came in the abandoned branch', () => {
    const s = new Scenario(`id: f
namespace: n
tasks:
  - id: par
    type: Parallel
    tasks: [${log('slow')}, { id: seq, type: Sequential, tasks: [${log('x')}, ${log('y')}] }]
`);
    s.advance();
    s.complete('x', {}, T(2));
    // Before y, slow was still out; it ends in the branch the rewind abandons.
    s.complete('slow', {}, T(3));
    const events = rewind(s, { beforeTaskId: 'y' });
    expect(events.map((e) => e.type)).toEqual(['TaskRunKillRequested', 'ExecutionRewound', 'TaskRunAttemptCreated', 'TaskRunCreated']);
    expect(events.find((e) => e.type === 'TaskRunAttemptCreated')!.data).toMatchObject({ taskRunId: s.run('slow').id, attempt: 2 });
    expect(s.run('slow').attempts.map((a) => `${a.number}:${a.state}`)).toEqual(['1:SUCCESS', '2:CREATED']);
  });

  it('arms again a timer the savepoint waited for that fired since, under a new id', () => {
    const s = new Scenario(`id: f
namespace: n
timeout: PT1H
tasks: [${log('a')}, ${log('b')}]
`);
    s.advance(T(1));
    s.complete('a', {}, T(2));
    s.fire('e:timeout', T(30));
    expect(s.execution.state).toBe('KILLED');
    const events = rewind(s, { beforeTaskId: 'b' }, 'r1', T(40));
    const armed = events.find((e) => e.type === 'TimerScheduled');
    // The execution's own timeout counts again from the rewind, as after a restart.
    expect(armed?.data).toEqual({ timerId: 'e:timeout:rewind-1', fireAt: new Date(Date.parse(T(40)) + 3_600_000).toISOString(), purpose: 'timeout', at: T(40) });
    expect(s.execution.timers.map((t) => t.timerId)).toEqual(['e:timeout:rewind-1']);
  });

  it('arms again a MAX_DURATION SLA that fired (the run failed by it), its whole duration counting from the rewind', () => {
    const s = new Scenario(`id: f
namespace: n
sla:
  - { id: budget, type: MAX_DURATION, behavior: FAIL, duration: PT1H }
tasks: [${log('a')}, ${log('b')}]
`);
    s.advance(T(1));
    s.complete('a', {}, T(2));
    s.fire('e:sla-0', T(30));
    expect(s.execution.state).toBe('FAILED');
    const events = rewind(s, { beforeTaskId: 'b' }, 'r1', T(40));
    expect(events.find((e) => e.type === 'TimerScheduled')?.data).toEqual({ timerId: 'e:sla-0:rewind-1', fireAt: new Date(Date.parse(T(40)) + 3_600_000).toISOString(), purpose: 'timeout', at: T(40) });
    expect(s.execution.state).toBe('RUNNING');
    // The re-armed timer is the SLA's: when it fires, the SLA acts again (not the flow timeout).
    s.fire('e:sla-0:rewind-1', T(50));
    expect(s.execution.state).toBe('FAILED');
    expect(s.execution.error).toMatch(/SLA 'budget' violated/);
  });

  it('arms again a maxRuntime that killed the run, from the rewind', () => {
    const s = new Scenario(`id: f\nnamespace: n\ntasks: [${log('a')}, ${log('b')}]\n`, {}, 'e', false, { options: { maxRuntime: 'PT10M' } });
    s.advance(T(1));
    s.complete('a', {}, T(2));
    s.fire('e:timeout', T(30));
    expect(s.execution.state).toBe('KILLED');
    const events = rewind(s, { beforeTaskId: 'b' }, 'r1', T(40));
    expect(events.find((e) => e.type === 'TimerScheduled')?.data).toMatchObject({ timerId: 'e:timeout:rewind-1', fireAt: new Date(Date.parse(T(40)) + 600_000).toISOString() });
  });

  it('kills the children the abandoned branch started: a child it waits for with its attempt, one started without waiting by itself; both with the rewind as the reason', () => {
    const subflow = (id: string, wait: boolean) => `{ id: ${id}, type: io.kestra.plugin.core.flow.Subflow, namespace: n, flowId: child, wait: ${wait} }`;
    const s = new Scenario(`id: f\nnamespace: n\ntasks: [${log('a')}, ${subflow('fire', false)}, ${subflow('await', true)}]\n`);
    s.advance(T(1));
    s.complete('a', {}, T(2));
    expect(s.states()).toEqual(['a:SUCCESS', 'fire:SUCCESS', 'await:RUNNING']);
    const fired = s.run('fire').childExecutionId!;
    const awaited = s.run('await').childExecutionId!;
    const events = rewind(s, { beforeTaskId: 'fire' }, 'r1', T(40));
    const kills = events.filter((e) => e.type === 'TaskRunKillRequested').map((e) => e.data);
    const reason = expect.stringMatching(/^rewound to revision \d+ \(before task fire\): the branch that started it was abandoned$/);
    expect(kills).toEqual([
      { taskRunId: s.run('await').id, attempt: 1, childExecutionId: awaited, reason, at: T(40) },
      { taskRunId: expect.any(String), attempt: 1, childExecutionId: fired, reason, at: T(40) },
    ]);
    // The branch runs again from the savepoint, with new attempts and so new children.
    expect(s.states()).toEqual(['a:SUCCESS', 'fire:SUCCESS', 'await:RUNNING']);
    expect([s.run('fire').childExecutionId, s.run('await').childExecutionId]).not.toContain(fired);
    expect(s.run('await').childExecutionId).not.toBe(awaited);
  });

  it('cancels the timers of the abandoned branch', () => {
    const s = new Scenario(`id: f
namespace: n
tasks: [${log('a')}, { id: nap, type: Sleep, duration: PT1H }]
`);
    s.advance();
    s.complete('a', {}, T(2));
    const napTimer = s.execution.timers.find((t) => t.purpose === 'sleep')!.timerId;
    const events = rewind(s, { beforeTaskId: 'a' });
    expect(events[0]).toEqual({ type: 'TimerCancelled', data: { timerId: napTimer, at: T(20) } });
    expect(s.execution.timers).toEqual([]);
  });

  it('refuses a point the execution does not offer, naming the field', () => {
    const s = succeeded();
    expect(() => rewind(s, { toRevision: 999 })).toThrow(SavepointNotFoundError);
    try {
      rewind(s, { beforeTaskId: 'nope' });
    } catch (error) {
      expect((error as SavepointNotFoundError).issues[0]!.path).toEqual(['beforeTaskId']);
      expect((error as SavepointNotFoundError).message).toContain('before a');
    }
    expect(() => rewind(s, {})).toThrow(/exactly one of toRevision or beforeTaskId/);
  });

  it('decides nothing for an execution that has not run yet', () => {
    const s = new Scenario(flow());
    expect(s.when({ type: 'RewindExecution', executionId: 'e', rewindId: 'r', toRevision: 0, now: T(1) })).toEqual([]);
  });

  it('offers REWIND once there is a savepoint and the state allows it', () => {
    const s = succeeded();
    expect(availableActions(s.execution)).toContain('REWIND');
    expect(availableActions(succeeded('NONE').execution)).not.toContain('REWIND');
    expect(availableActions(new Scenario(flow()).execution)).not.toContain('REWIND');
  });
});

describe('ExecutionRewound in a read model', () => {
  it('folds to the same execution from a stored copy without snapshots as from the whole log', () => {
    const s = succeeded();
    const half = s.history.length;
    rewind(s, { beforeTaskId: 'b' });
    s.complete('b', {}, T(22), 2);
    // A projection stores the execution without the snapshots and folds the rest of the log onto it.
    let stored: ExecutionState = withoutSavepointSnapshots(s.history.slice(0, half).reduce<ExecutionState>(evolve, undefined)!);
    for (const event of s.history.slice(half)) stored = evolve(stored, event);
    const rebuilt = s.history.reduce<ExecutionState>(evolve, undefined) as Execution;
    expect(withoutSavepointSnapshots(stored!)).toEqual(withoutSavepointSnapshots(rebuilt));
    expect(withoutSavepointSnapshots(rebuilt)).toEqual(withoutSavepointSnapshots(s.execution));
  });
});
