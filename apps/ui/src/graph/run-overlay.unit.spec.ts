import { describe, expect, it } from 'vitest';
import type { TaskRun } from '../api/types.js';
import { runsByTask } from './run-overlay.js';

const run = (taskId: string, state: TaskRun['state'], extra: Partial<TaskRun> = {}): TaskRun => ({ id: `${taskId}-${Math.random()}`, taskId, state, attempts: [{ number: 1, state }], ...extra });

describe('task runs on the graph', () => {
  it('colours a loop body by its worst run, counts iterations and attempts, marks the current position', () => {
    const runs = runsByTask([
      run('item', 'SUCCESS', { value: 'a' }),
      run('item', 'FAILED', { value: 'b', attempts: [{ number: 1, state: 'FAILED' }, { number: 2, state: 'FAILED' }] }),
      run('next', 'SUCCESS'),
      run('wait', 'RUNNING'),
    ]);
    expect(runs.get('item')).toEqual({ state: 'FAILED', runs: 2, attempts: 2, iterations: 2, current: false });
    expect(runs.get('wait')).toMatchObject({ state: 'RUNNING', current: true });
    expect(runs.get('next')).toMatchObject({ state: 'SUCCESS', runs: 1, iterations: 0 });
  });

  it('shows a task as running while any of its runs is', () => {
    expect(runsByTask([run('x', 'FAILED', { value: '1' }), run('x', 'RUNNING', { value: '2' })]).get('x')).toMatchObject({ state: 'RUNNING', current: true });
  });
});
