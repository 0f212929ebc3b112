import { describe, expect, it } from 'vitest';
import type { TaskRun } from '../api/types.js';
import { metricsOverExecutions } from './flow-metrics.js';

const run = (taskId: string, start: string, end: string, metrics: TaskRun['metrics'] = []): TaskRun => ({ id: `${taskId}${start}`, taskId, state: 'SUCCESS', attempts: [], startDate: start, endDate: end, metrics });

describe('metrics over executions', () => {
  it('puts each task duration and metric in a series, oldest execution first, loops summed', () => {
    const { executions, series } = metricsOverExecutions([
      { id: 'new', startDate: '2026-01-01T10:05:00Z', taskRuns: [run('fetch', '2026-01-01T10:05:00Z', '2026-01-01T10:05:02Z', [{ name: 'rows', type: 'counter', value: 7 }])] },
      { id: 'old', startDate: '2026-01-01T10:00:00Z', taskRuns: [run('item', '2026-01-01T10:00:00Z', '2026-01-01T10:00:01Z'), run('item', '2026-01-01T10:00:01Z', '2026-01-01T10:00:03Z')] },
    ]);
    expect(executions.map((e) => e.id)).toEqual(['old', 'new']);
    expect(series).toEqual([
      { key: 'duration:item', label: 'item', kind: 'duration', values: [3000, null] },
      { key: 'duration:fetch', label: 'fetch', kind: 'duration', values: [null, 2000] },
      { key: 'counter:fetch:rows', label: 'fetch · rows', kind: 'counter', values: [null, 7] },
    ]);
  });
});
