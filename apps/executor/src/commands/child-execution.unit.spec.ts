import { createExecution, deployFlow, ExecutionRepository, FlowRepository } from '@chronicle/use-cases';
import { InMemoryCheckpointStore } from '@chronicle/stores';
import type { Execution } from '@chronicle/domain';
import { InMemoryEventStore } from '@chronicle/event-store/memory';
import { InProcessMessageBus, topicNames, type ReceivedMessage } from '@chronicle/messaging';
import { createLogger, systemClock } from '@chronicle/runtime';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OutboxRelay } from '../relay/outbox-relay.js';
import { TaskWorker } from '../worker/task-worker.js';
import { consumeExecutionCommands } from './execution-command.consumer.js';
import { ExecutionCommandHandler } from './execution-command.handler.js';
import { ExecutionCreationHandler } from './execution-creation.handler.js';
import { TASK_CATALOG } from '@chronicle/tasks';

const topics = topicNames('child-test');
const logger = createLogger('test', 'silent');
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

const CHILD_OK = `id: child
namespace: ns
inputs:
  - id: n
    type: INT
tasks:
  - id: compute
    type: io.kestra.plugin.core.output.OutputValues
    values:
      doubled: "{{ inputs.n * 2 }}"
outputs:
  - id: result
    type: STRING
    value: "{{ outputs.compute.values.doubled }}"
`;
const CHILD_FAILS = `id: failing-child
namespace: ns
tasks:
  - id: boom
    type: io.kestra.plugin.core.execution.Fail
    errorMessage: child broke
`;
const LOOPING = `id: looping
namespace: ns
tasks:
  - id: spin
    type: Script
    script: "while (true) {}"
    timeout: PT60S
`;
const parentOf = (id: string, flowId: string) => `id: ${id}
namespace: ns
tasks:
  - id: call
    type: io.kestra.plugin.core.flow.Subflow
    namespace: ns
    flowId: ${flowId}
    inputs:
      n: 21
    wait: true
    transmitFailed: true
`;

/**
 * The whole engine in one process over the in-memory event store: the relay turns events into
 * messages, the consumer hands commands to the aggregate and creation requests to the
 * application, the worker runs the runnable tasks.
 */
async function engine() {
  const store = new InMemoryEventStore();
  const bus = new InProcessMessageBus();
  await bus.ensureTopics(Object.values(topics));
  const deps = { store, flows: new FlowRepository(store, TASK_CATALOG), executions: new ExecutionRepository(store), clock: systemClock };
  for (const flow of [CHILD_OK, CHILD_FAILS, parentOf('parent', 'child'), parentOf('parent-of-failing', 'failing-child'), parentOf('parent-of-missing', 'no-such-flow'), LOOPING]) {
    await deployFlow(deps, flow);
  }
  const handler = new ExecutionCommandHandler(store, deps.flows, deps.executions, systemClock, logger);
  const commands: ReceivedMessage[] = [];
  const observer = await bus.consume({ topic: topics.commands, groupId: 'observer' }, async (m) => void commands.push(m));
  const consumer = await consumeExecutionCommands(bus, topics, { handler, creations: new ExecutionCreationHandler(deps, logger) }, logger);
  const worker = new TaskWorker(bus, topics, systemClock, logger, 'w1', 4);
  await worker.start();
  const relay = new OutboxRelay(store, bus, topics, new InMemoryCheckpointStore(), logger);
  await relay.start();
  cleanup.push(async () => {
    await relay.stop();
    await worker.stop();
    await consumer.stop();
    await observer.stop();
    await bus.close();
  });
  const run = async (flowId: string): Promise<Execution> => {
    const { execution } = await createExecution(deps, { namespace: 'ns', flowId });
    let ended: Execution | undefined;
    await vi.waitFor(
      async () => {
        const state = await deps.executions.load(execution.id);
        expect(['SUCCESS', 'FAILED', 'WARNING', 'KILLED']).toContain(state?.state);
        ended = state;
      },
      { timeout: 15_000 },
    );
    return ended!;
  };
  return { run, executions: deps.executions, commands, deps, bus, worker };
}

describe('the child execution path (Subflow) through relay, consumer and application', () => {
  it('creates the child once with the parent as parentId, and the parent continues with the child\'s outputs', async () => {
    const { run, executions, commands } = await engine();

    const parent = await run('parent');

    expect(parent.state).toBe('SUCCESS');
    const call = parent.taskRuns.find((t) => t.taskId === 'call')!;
    const childId = (call.outputs as { executionId: string }).executionId;
    const child = await executions.load(childId);
    expect(child).toMatchObject({ state: 'SUCCESS', parentId: parent.id, parent: { executionId: parent.id, taskRunId: call.id } });
    expect(call.outputs).toMatchObject({ state: 'SUCCESS', outputs: { result: '42' } });
    const starts = commands.filter((m) => (m.value as { type: string }).type === 'StartChildExecution');
    expect(starts.map((m) => m.key)).toEqual([childId]);
    expect(commands.filter((m) => (m.value as { type: string }).type === 'ChildExecutionEnded').map((m) => m.key)).toEqual([parent.id]);
  });

  it('fails the parent when its child fails and transmitFailed is set', async () => {
    const { run, executions } = await engine();

    const parent = await run('parent-of-failing');

    expect(parent.state).toBe('FAILED');
    const childId = parent.taskRuns.find((t) => t.taskId === 'call')!.childExecutionId!;
    expect(await executions.load(childId)).toMatchObject({ state: 'FAILED', parentId: parent.id });
  });

  it('fails the Subflow task run, with the reason, when the child cannot even be created', async () => {
    const { run, executions } = await engine();

    const parent = await run('parent-of-missing');

    expect(parent.state).toBe('FAILED');
    const childId = parent.taskRuns.find((t) => t.taskId === 'call')!.childExecutionId!;
    expect(await executions.load(childId)).toBeUndefined();
  });
});

describe('killing a running task through the control topic', () => {
  it('aborts the attempt on the worker and the execution ends KILLED', async () => {
    const { deps, bus, worker } = await engine();
    const { execution } = await createExecution(deps, { namespace: 'ns', flowId: 'looping' });
    await vi.waitFor(() => expect(worker.runningAttempts()).toHaveLength(1), { timeout: 15_000 });

    await bus.publish(topics.commands, [{ key: execution.id, value: { type: 'KillExecution', executionId: execution.id, reason: 'test', now: systemClock.now() } }]);

    await vi.waitFor(async () => expect((await deps.executions.load(execution.id))?.state).toBe('KILLED'), { timeout: 15_000 });
    expect(worker.runningAttempts()).toEqual([]);
    const spin = (await deps.executions.load(execution.id))!.taskRuns.find((t) => t.taskId === 'spin')!;
    expect(spin.state).toBe('KILLED');
  });
});
