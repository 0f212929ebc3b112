import { CORE_TASK_CATALOG, parseTriggers } from '@chronicle/domain';
import { InMemoryEventStore } from '@chronicle/event-store/memory';
import { describe, expect, it } from 'vitest';
import { deployFlow } from '../deploy-flow.js';
import { ExecutionRepository } from '../execution-repository.js';
import { FlowRepository } from '../flow-repository.js';
import { startTriggeredExecution } from './start-triggered-execution.js';

const NOW = '2025-01-01T00:00:00.000Z';
const LISTENER = `id: listener
namespace: io.kestra.tests.trigger
inputs:
  - { id: from-parent, type: STRING }
  - { id: count, type: INT }
tasks:
  - { id: only, type: Return, format: simple return }
`;

async function setup(installation?: { envs: Record<string, string>; globals: Record<string, never> }) {
  const store = new InMemoryEventStore();
  const deps = { store, flows: new FlowRepository(store, CORE_TASK_CATALOG), executions: new ExecutionRepository(store), clock: { now: () => NOW }, ...(installation ? { installation } : {}) };
  await deployFlow(deps, LISTENER);
  return deps;
}

const trigger = (inputs?: Record<string, string>) =>
  parseTriggers([{ id: 'listen', type: 'io.kestra.plugin.core.trigger.Flow', ...(inputs ? { inputs } : {}), conditions: [{ type: 'io.kestra.plugin.core.condition.ExecutionNamespace', namespace: 'io.kestra.tests.trigger' }] }]).triggers[0]!;

describe('startTriggeredExecution', () => {
  // Kestra's Flow.evaluate (io.kestra.plugin.core.trigger.Flow): the rendered inputs go on the execution as they are.
  it("starts a Flow trigger's execution with its inputs as given: a required one it does not give is no error", async () => {
    const deps = await setup();
    const { execution } = await startTriggeredExecution(deps, {
      namespace: 'io.kestra.tests.trigger', flowId: 'listener', trigger: trigger(), idempotencyKey: 'k1',
      variables: { executionId: 'upstream', namespace: 'io.kestra.tests.trigger', flowId: 'trigger-flow', state: 'SUCCESS' },
    });
    expect(execution.inputs).toEqual({});
    expect(execution.trigger).toMatchObject({ variables: { executionId: 'upstream' } });
  });

  it("renders the trigger's inputs with the installation's envs", async () => {
    const deps = await setup({ envs: { region: 'eu' }, globals: {} });
    const { execution } = await startTriggeredExecution(deps, {
      namespace: 'io.kestra.tests.trigger', flowId: 'listener', trigger: trigger({ 'from-parent': '{{ envs.region }} {{ trigger.executionId }}' }), idempotencyKey: 'k2',
      variables: { executionId: 'upstream', namespace: 'io.kestra.tests.trigger', flowId: 'trigger-flow', state: 'SUCCESS' },
    });
    expect(execution.inputs).toEqual({ 'from-parent': 'eu upstream' });
  });
});
