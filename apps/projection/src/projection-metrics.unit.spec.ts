import { describe, expect, it } from 'vitest';
import type { ExecutionUpdate } from '@chronicle/read-model';
import { configureMetrics, executionsStarted } from '@chronicle/runtime';
import { countExecutionUpdate } from './projection-metrics.js';

const update = (mode: ExecutionUpdate['mode']): ExecutionUpdate => ({
  kind: 'execution',
  executionId: 'e',
  namespace: 'metrics.unit',
  flowId: 'f',
  revision: 0,
  position: '1',
  state: 'CREATED',
  mode,
  change: { kind: 'delta', baseRevision: -1, revision: 0, set: {}, unset: [], taskRuns: [], taskRunCount: 0 },
  events: [{ position: '1', revision: 0, type: 'ExecutionCreated', data: {}, occurredAt: '2025-01-01T00:00:00.000Z' }],
});

const started = async (): Promise<number> =>
  (await executionsStarted.get()).values.find((v) => v.labels.namespace === 'metrics.unit')?.value ?? 0;

describe('execution metrics', () => {
  it('count productive executions and leave development runs out', async () => {
    const before = await started();
    countExecutionUpdate(update('PRODUCTIVE'));
    countExecutionUpdate(update('DEVELOPMENT'));
    expect(await started()).toBe(before + 1);
  });
  it('leaves the namespace label out when namespace names are not public (CHRONICLE_METRICS_NAMESPACE_LABELS)', async () => {
    const unlabelled = async () => (await executionsStarted.get()).values.find((v) => v.labels.namespace === undefined)?.value ?? 0;
    const [labelled0, unlabelled0] = [await started(), await unlabelled()];
    configureMetrics({ namespaceLabels: false });
    try {
      countExecutionUpdate(update('PRODUCTIVE'));
    } finally {
      configureMetrics({ namespaceLabels: true });
    }
    expect(await started()).toBe(labelled0);
    expect(await unlabelled()).toBe(unlabelled0 + 1);
  });
});
