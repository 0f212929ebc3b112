import { describe, expect, it } from 'vitest';
import type { TaskRun } from '../api/types.js';
import { childExecutions, flowTaskIds, taskRunRows } from './task-run-tree.js';

const run = (id: string, taskId: string, parentTaskRunId?: string, outputs?: unknown): TaskRun => ({ id, taskId, parentTaskRunId, state: 'SUCCESS', attempts: [], outputs });

describe('task run tree', () => {
  it('orders task runs parent first, children after it, with their depth', () => {
    const rows = taskRunRows([run('1', 'each'), run('3', 'after'), run('2a', 'item', '1'), run('2b', 'item', '1'), run('4', 'leaf', '2a')]);
    expect(rows.map((r) => `${r.run.id}:${r.depth}`)).toEqual(['1:0', '2a:1', '4:2', '2b:1', '3:0']);
  });

  it('finds child executions in outputs or in ChildExecutionRequested events', () => {
    const children = childExecutions([run('1', 'sub', undefined, { executionId: 'child-1' }), run('2', 'sub2')], [
      { position: '1', revision: 3, type: 'ChildExecutionRequested', occurredAt: '', data: { childExecutionId: 'child-2', taskRunId: '2' } },
    ]);
    expect([...children]).toEqual([['2', 'child-2'], ['1', 'child-1']]);
  });

  it('lists the task ids of a flow, nested ones too', () => {
    expect(flowTaskIds([{ id: 'a', type: 'Log' }, { id: 'b', type: 'Sequential', tasks: [{ id: 'c', type: 'Log' }] }])).toEqual(['a', 'b', 'c']);
  });
});
