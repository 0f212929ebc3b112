import { CORE_TASK_CATALOG, flowStreamId } from '@chronicle/domain';
import { InMemoryEventStore } from '@chronicle/event-store/memory';
import { BENCHMARK01_FLOW } from '@chronicle/testing';
import { describe, expect, it } from 'vitest';
import { createExecution } from './create-execution.js';
import { deployFlow } from './deploy-flow.js';
import { FlowDeletedError, FlowDisabledError, FlowNotFoundError } from './errors.js';
import { ExecutionRepository } from './execution-repository.js';
import { changeFlowLifecycle } from './flow-lifecycle.js';
import { FlowRepository } from './flow-repository.js';

const NOW = '2025-01-01T00:00:00.000Z';
const CHANGED = BENCHMARK01_FLOW.replace('defaults: World', 'defaults: Chronicle');

function setup() {
  const store = new InMemoryEventStore();
  const flows = new FlowRepository(store, CORE_TASK_CATALOG);
  return { store, flows, deps: { store, flows, executions: new ExecutionRepository(store), clock: { now: () => NOW } } };
}

describe('flow life cycle', () => {
  it('disables and enables a flow: a disabled flow starts nothing, running the same call twice writes once', async () => {
    const { store, flows, deps } = setup();
    await deployFlow(deps, BENCHMARK01_FLOW);

    const disabled = await changeFlowLifecycle(deps, 'benchmarks', 'benchmark01', 'disable', 'alice');
    expect(disabled).toMatchObject({ changed: true, status: { disabled: true, deleted: false } });
    expect((await changeFlowLifecycle(deps, 'benchmarks', 'benchmark01', 'disable')).changed).toBe(false);
    await expect(createExecution(deps, { namespace: 'benchmarks', flowId: 'benchmark01' })).rejects.toBeInstanceOf(FlowDisabledError);
    await expect(createExecution(deps, { namespace: 'benchmarks', flowId: 'benchmark01', revision: 1 })).rejects.toThrow(/is disabled: enable it/);

    // A deploy keeps the flow disabled, and the revision count ignores life-cycle events.
    const redeployed = await deployFlow(deps, CHANGED);
    expect(redeployed.revision).toBe(2);
    expect((await flows.head('benchmarks', 'benchmark01'))!.status).toEqual({ disabled: true, deleted: false });
    expect((await flows.revision('benchmarks', 'benchmark01', 2))!.source).toBe(CHANGED);
    expect((await flows.revision('benchmarks', 'benchmark01', 1))!.source).toBe(BENCHMARK01_FLOW);
    expect(await flows.revision('benchmarks', 'benchmark01', 3)).toBeUndefined();

    await changeFlowLifecycle(deps, 'benchmarks', 'benchmark01', 'enable');
    const created = await createExecution(deps, { namespace: 'benchmarks', flowId: 'benchmark01' });
    expect(created.execution.flowRevision).toBe(2);
    expect((await store.readStream(flowStreamId('benchmarks', 'benchmark01'))).map((e) => e.type)).toEqual([
      'FlowRevisionDeployed', 'FlowDisabled', 'FlowRevisionDeployed', 'FlowEnabled',
    ]);
  });

  it('deletes a flow: it starts nothing and cannot be enabled, until a deploy brings it back as a new revision', async () => {
    const { flows, deps } = setup();
    await deployFlow(deps, BENCHMARK01_FLOW);
    expect((await changeFlowLifecycle(deps, 'benchmarks', 'benchmark01', 'delete')).status.deleted).toBe(true);

    await expect(createExecution(deps, { namespace: 'benchmarks', flowId: 'benchmark01' })).rejects.toBeInstanceOf(FlowDeletedError);
    await expect(changeFlowLifecycle(deps, 'benchmarks', 'benchmark01', 'enable')).rejects.toBeInstanceOf(FlowNotFoundError);
    // The revisions stay readable for the executions that ran them.
    expect((await flows.revision('benchmarks', 'benchmark01', 1))!.source).toBe(BENCHMARK01_FLOW);

    const back = await deployFlow(deps, BENCHMARK01_FLOW);
    expect(back).toMatchObject({ revision: 2, created: true });
    expect((await createExecution(deps, { namespace: 'benchmarks', flowId: 'benchmark01' })).execution.flowRevision).toBe(2);
  });

  it('answers NOT_FOUND for a flow that never existed', async () => {
    const { deps } = setup();
    await expect(changeFlowLifecycle(deps, 'nope', 'missing', 'disable')).rejects.toBeInstanceOf(FlowNotFoundError);
  });

  it('finds the newest deploy behind many life-cycle events', async () => {
    const { flows, deps } = setup();
    await deployFlow(deps, BENCHMARK01_FLOW);
    for (let i = 0; i < 20; i++) await changeFlowLifecycle(deps, 'benchmarks', 'benchmark01', i % 2 === 0 ? 'disable' : 'enable');
    const head = await flows.head('benchmarks', 'benchmark01');
    expect(head).toMatchObject({ latest: { revision: 1 }, status: { disabled: false }, streamRevision: 20n });
    expect((await deployFlow(deps, CHANGED)).revision).toBe(2);
  });
});
