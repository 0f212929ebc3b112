import { describe, expect, it } from 'vitest';
import type { ExecutionUpdate } from '@chronicle/read-model';
import { InProcessMessageBus, type BusMessage, type MessageBus } from '@chronicle/messaging';
import { configureMetrics, createLogger, executionsStarted } from '@chronicle/runtime';
import type { ReadModel } from '@chronicle/read-model';
import { countExecutionUpdate, countingPublishedUpdates } from './projection-metrics.js';
import { ProjectionModule } from './projection.module.js';

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

  it('count what the projectors publish on the updates topic once the bus took it, without consuming the topic', async () => {
    const inner = new InProcessMessageBus();
    const bus = countingPublishedUpdates(inner, 'p.updates');
    await bus.ensureTopics(['p.updates', 'p.commands']);
    const message = (value: unknown): BusMessage => ({ key: 'e', value });
    const before = await started();
    await bus.publish('p.updates', [message(update('PRODUCTIVE')), message({ kind: 'flow', namespace: 'metrics.unit', flowId: 'f', revision: 1 })]);
    expect(await started()).toBe(before + 1);
    // Another topic, or a publish the bus refused, counts nothing.
    await bus.publish('p.commands', [message(update('PRODUCTIVE'))]);
    const refusing: MessageBus = countingPublishedUpdates(Object.assign(Object.create(inner) as MessageBus, { publish: () => Promise.reject(new Error('broker down')) }), 'p.updates');
    await expect(refusing.publish('p.updates', [message(update('PRODUCTIVE'))])).rejects.toThrow('broker down');
    expect(await started()).toBe(before + 1);
    await inner.close();
  });

  it('are no consumer of the updates topic: the projection module declares no bus handler', () => {
    const module = ProjectionModule.register({} as ReadModel, createLogger('metrics-unit', 'silent'));
    expect(module.controllers ?? []).toEqual([]);
  });
});
