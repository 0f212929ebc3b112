import { CORE_TASK_CATALOG, decide, executionStreamId } from '@chronicle/domain';
import { InMemoryEventStore } from '@chronicle/event-store/memory';
import { InProcessMessageBus, topicNames, type ReceivedMessage } from '@chronicle/messaging';
import { BENCHMARK01_FLOW } from '@chronicle/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createExecution } from './create-execution.js';
import { deployFlow } from './deploy-flow.js';
import { ExecutionNotFoundError } from '@chronicle/domain';
import { toEventData } from '@chronicle/contracts';
import { ExecutionRepository } from './execution-repository.js';
import { FlowRepository } from './flow-repository.js';
import { CommandRejectedError, sendExecutionCommand } from './send-execution-command.js';

const NOW = '2025-01-01T00:00:00.000Z';
const topics = topicNames('unit');

async function setup() {
  const store = new InMemoryEventStore();
  const bus = new InProcessMessageBus();
  await bus.ensureTopics([topics.commands]);
  const sent: ReceivedMessage[] = [];
  await bus.consume({ topic: topics.commands, groupId: 'observer' }, async (m) => {
    sent.push(m);
  });
  const flows = new FlowRepository(store, CORE_TASK_CATALOG);
  const deps = { store, bus, topics, flows, executions: new ExecutionRepository(store), clock: { now: () => NOW } };
  await deployFlow(deps, BENCHMARK01_FLOW);
  const { execution } = await createExecution(deps, { namespace: 'benchmarks', flowId: 'benchmark01' });
  return { deps, bus, store, sent, id: execution.id };
}

describe('sendExecutionCommand', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());

  it('validates by a dry run of the decider, then publishes the command keyed by execution id, writing nothing itself', async () => {
    const { deps, bus, store, sent, id } = await setup();
    close = () => bus.close();
    const result = await sendExecutionCommand(deps, id, { type: 'KillExecution' });
    expect(result).toMatchObject({ sent: true, before: { state: 'CREATED', revision: 0 }, expected: { state: 'KILLED' } });
    await expect.poll(() => sent.length).toBe(1);
    expect(sent[0]).toMatchObject({ key: id, value: { type: 'KillExecution', executionId: id, now: NOW } });
    expect(await store.readStream(executionStreamId(id))).toHaveLength(1);
  });

  it('answers a command that is already done as a no-op, and sends nothing', async () => {
    const { deps, bus, store, sent, id } = await setup();
    close = () => bus.close();
    const flow = (await deps.flows.latest('benchmarks', 'benchmark01'))!.definition;
    const killed = decide({ type: 'KillExecution', executionId: id, now: NOW }, (await deps.executions.load(id))!, { taskTypes: CORE_TASK_CATALOG, flow });
    await store.append(executionStreamId(id), toEventData(killed), 0n);
    const result = await sendExecutionCommand(deps, id, { type: 'KillExecution' });
    expect(result).toMatchObject({ sent: false, before: { state: 'KILLED' } });
    await new Promise((r) => setTimeout(r, 50));
    expect(sent).toEqual([]);
  });

  it('refuses what cannot apply with a CONFLICT that says why, and an unknown execution with NOT_FOUND', async () => {
    const { deps, bus, sent, id } = await setup();
    close = () => bus.close();
    const pause = sendExecutionCommand(deps, id, { type: 'PauseExecution' });
    await expect(pause).rejects.toBeInstanceOf(CommandRejectedError);
    await expect(pause).rejects.toThrow(`execution ${id} is CREATED: only a running execution can be paused`);
    await expect(sendExecutionCommand(deps, id, { type: 'RestartExecution' })).rejects.toThrow(/only a failed, killed or warning execution can be restarted/);
    await expect(sendExecutionCommand(deps, id, { type: 'ResumeExecution', approve: true })).rejects.toThrow(/only a paused execution can be resumed/);
    await expect(sendExecutionCommand(deps, 'missing', { type: 'KillExecution' })).rejects.toBeInstanceOf(ExecutionNotFoundError);
    expect(sent).toEqual([]);
  });
});
