import { describe, expect, it } from 'vitest';
import type { TaskJob } from '@chronicle/domain';
import { byPriority } from './task-worker.js';

const job = (taskRunId: string, priority?: number): TaskJob => ({ executionId: 'e', taskRunId, taskId: taskRunId, attempt: 1, type: 'Log', properties: {}, ...(priority === undefined ? {} : { priority }) });

describe('worker pool priority', () => {
  it('runs higher-priority jobs first when a batch holds more than the free lanes, keeping the order of equals', () => {
    const order = byPriority([job('a'), job('b', 5), job('c'), job('d', 5), job('e', -1), job('f', 10)]).map((j) => j.taskRunId);
    expect(order).toEqual(['f', 'b', 'd', 'a', 'c', 'e']);
  });
});
