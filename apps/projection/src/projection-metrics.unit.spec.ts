import { describe, expect, it } from 'vitest';
import type { Execution } from '@chronicle/domain';
import type { ReadModelUpdate } from '@chronicle/contracts';
import { executionsStarted } from '@chronicle/runtime';
import { countExecutionUpdate } from './projection-metrics.js';

const update = (options?: Execution['options']): ReadModelUpdate => ({
  kind: 'execution',
  namespace: 'metrics.unit',
  execution: { id: 'e', namespace: 'metrics.unit', state: 'CREATED', ...(options ? { options } : {}) } as Execution,
  events: [{ type: 'ExecutionCreated' }],
} as unknown as ReadModelUpdate);

const started = async (): Promise<number> =>
  (await executionsStarted.get()).values.find((v) => v.labels.namespace === 'metrics.unit')?.value ?? 0;

describe('execution metrics', () => {
  it('count productive executions and leave development runs out', async () => {
    const before = await started();
    countExecutionUpdate(update());
    countExecutionUpdate(update({ mode: 'DEVELOPMENT' }));
    expect(await started()).toBe(before + 1);
  });
});
