import { describe, expect, it } from 'vitest';
import { evolve } from './execution.evolver.js';
import type { ExecutionEvent } from './execution.events.js';
import type { Execution } from './execution.state.js';
import { runOf, taskRunById } from './task-tree.js';

const at = '2025-01-01T00:00:00.000Z';
const created: ExecutionEvent = {
  type: 'ExecutionCreated',
  data: { executionId: 'e', namespace: 'n', flowId: 'f', flowRevision: 1, inputs: {}, labels: {}, originalId: 'e', at },
};
const run = (taskRunId: string, taskId: string, value?: string): ExecutionEvent => ({
  type: 'TaskRunCreated',
  data: { taskRunId, taskId, at, ...(value !== undefined ? { value } : {}) },
});
const fold = (base: Execution | undefined, ...events: ExecutionEvent[]) => events.reduce<Execution | undefined>((s, e) => evolve(s, e) as Execution, base)!;
const task = (id: string) => ({ id }) as Parameters<typeof runOf>[1];

describe('task-run lookups (the index shared along evolve)', () => {
  it('finds every run of every version of the list, old ones included', () => {
    const s0 = fold(undefined, created, run('e.0', 'a'));
    expect(taskRunById(s0, 'e.0')?.taskId).toBe('a'); // s0 indexed first, then evolved
    const s1 = fold(s0, run('e.1', 'b', 'x'));
    const s2 = fold(s1, run('e.2', 'b', 'x'), { type: 'TaskRunStarted', data: { taskRunId: 'e.1', attempt: 1, at } });
    expect(taskRunById(s2, 'e.1')?.state).toBe('RUNNING');
    expect(taskRunById(s1, 'e.1')?.state).toBe('CREATED');
    expect(taskRunById(s1, 'e.2')).toBeUndefined();
    expect(taskRunById(s0, 'e.1')).toBeUndefined();
    // The last run of a place, as each version knows it.
    expect(runOf(s2, task('b'), undefined, 'x')?.id).toBe('e.2');
    expect(runOf(s1, task('b'), undefined, 'x')?.id).toBe('e.1');
    expect(runOf(s0, task('b'), undefined, 'x')).toBeUndefined();
  });

  it('keeps two decisions taken on the same state apart', () => {
    const base = fold(undefined, created, run('e.0', 'a'));
    taskRunById(base, 'e.0');
    const left = fold(base, run('e.1', 'left'));
    const right = fold(base, run('e.1-other', 'right'));
    expect(taskRunById(left, 'e.1')?.taskId).toBe('left');
    expect(taskRunById(right, 'e.1-other')?.taskId).toBe('right');
    expect(taskRunById(right, 'e.1')).toBeUndefined();
    expect(taskRunById(left, 'e.1-other')).toBeUndefined();
    expect(runOf(right, task('left'), undefined, undefined)).toBeUndefined();
    // And each goes on evolving correctly.
    const right2 = fold(right, run('e.2', 'more'));
    expect(taskRunById(right2, 'e.2')?.taskId).toBe('more');
    expect(taskRunById(right2, 'e.1-other')?.taskId).toBe('right');
  });
});
