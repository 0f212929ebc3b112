import { describe, expect, it } from 'vitest';
import type { Execution, TaskRun } from '@chronicle/domain';
import { applyExecutionViewChange, diffExecutionView } from './execution-view.delta.js';
import { toExecutionView } from './execution-view.mapping.js';

const run = (id: string, state: TaskRun['state'], extra: Partial<TaskRun> = {}): TaskRun => ({
  id, taskId: id, state, stateHistory: [{ state, date: '2025-01-01T00:00:01.000Z' }], attempts: [], ...extra,
});

const execution = (extra: Partial<Execution> = {}): Execution => ({
  id: 'e1', namespace: 'views', flowId: 'f', flowRevision: 1, state: 'RUNNING',
  stateHistory: [{ state: 'CREATED', date: '2025-01-01T00:00:00.000Z' }, { state: 'RUNNING', date: '2025-01-01T00:00:01.000Z' }],
  inputs: { who: 'x' }, labels: { team: 'a' }, originalId: 'e1', attemptNumber: 1, timers: [], taskRuns: [run('a', 'RUNNING')],
  startDate: '2025-01-01T00:00:00.000Z', revision: 3, ...extra,
});

describe('the read side\'s execution view', () => {
  it('keeps what readers see and leaves the write side\'s state out (timers, draft flow, variables, replay data)', () => {
    const view = toExecutionView(execution({
      timers: [{ timerId: 't', fireAt: '2025-01-02T00:00:00.000Z', purpose: 'TIMEOUT' as never }],
      variables: { secret: 'internal' }, watchers: [], attemptNumber: 2, concurrencyKey: 'k', options: { priority: 3 }, killReason: 'because',
    }));
    expect(Object.keys(view).sort()).toEqual(['flowId', 'flowRevision', 'id', 'inputs', 'killReason', 'labels', 'namespace', 'options', 'originalId', 'revision', 'startDate', 'state', 'stateHistory', 'taskRuns'].sort());
    expect(view.taskRuns[0]).toEqual({ id: 'a', taskId: 'a', state: 'RUNNING', stateHistory: [{ state: 'RUNNING', date: '2025-01-01T00:00:01.000Z' }], attempts: [] });
  });

  it('travels whole for a new execution, then as deltas that rebuild every later view', () => {
    const v3 = toExecutionView(execution({ error: 'first try failed' }));
    const v5 = toExecutionView(execution({
      revision: 5, state: 'SUCCESS', endDate: '2025-01-01T00:00:09.000Z', outputs: { n: 1 },
      taskRuns: [run('a', 'SUCCESS'), run('b', 'SUCCESS', { outputs: { v: 2 } })],
    }));
    const created = diffExecutionView(undefined, v3);
    expect(created).toEqual({ kind: 'view', view: v3 });
    const delta = diffExecutionView(v3, v5);
    expect(delta).toMatchObject({ kind: 'delta', baseRevision: 3, revision: 5, unset: ['error'], taskRunCount: 2 });
    // Only what changed travels: the task run list is sent per changed run, unchanged fields not at all.
    expect(Object.keys(delta.kind === 'delta' ? delta.set : {}).sort()).toEqual(['endDate', 'outputs', 'state']);
    expect(applyExecutionViewChange(applyExecutionViewChange(undefined, created), delta)).toEqual(v5);
  });

  it('drops task runs a restart removed, and applies a delta only to the view it was computed from', () => {
    const before = toExecutionView(execution({ taskRuns: [run('a', 'FAILED'), run('b', 'KILLED')], state: 'FAILED' }));
    const after = toExecutionView(execution({ revision: 4, taskRuns: [run('a', 'RESTARTED')], state: 'RESTARTED' }));
    const delta = diffExecutionView(before, after);
    expect(applyExecutionViewChange(before, delta)).toEqual(after);
    expect(applyExecutionViewChange(undefined, delta)).toBeUndefined();
    expect(applyExecutionViewChange(after, delta)).toBeUndefined();
    // JSON on the bus: a delta survives serialisation.
    expect(applyExecutionViewChange(before, JSON.parse(JSON.stringify(delta)))).toEqual(after);
  });
});
