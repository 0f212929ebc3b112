import { CORE_TASK_CATALOG, decide, executionStreamId, type TaskJob } from '@chronicle/domain';
import { type RecordedEvent } from '@chronicle/event-store';
import { InMemoryEventStore } from '@chronicle/event-store/memory';
import { topicNames } from '@chronicle/messaging';
import { BENCHMARK01_FLOW } from '@chronicle/testing';
import { describe, expect, it } from 'vitest';
import { createExecution } from './create-execution.js';
import { deployFlow } from './deploy-flow.js';
import { toEventData } from '@chronicle/contracts';
import { ExecutionRepository } from './execution-repository.js';
import { intentsOf } from './execution-intents.js';
import { consumedIntentsOf } from './test-support/consumed-intents.js';
import { FlowRepository } from './flow-repository.js';

const topics = topicNames('test');
const NOW = '2025-01-01T00:00:00.000Z';

/** benchmark01 created and advanced once, as the executor would: the real events, read back from the store. */
async function startedExecution(localTasks = false): Promise<{ id: string; events: RecordedEvent[] }> {
  const store = new InMemoryEventStore();
  const deps = { store, flows: new FlowRepository(store, CORE_TASK_CATALOG), executions: new ExecutionRepository(store), clock: { now: () => NOW } };
  await deployFlow(deps, BENCHMARK01_FLOW);
  const { execution } = await createExecution(deps, { namespace: 'benchmarks', flowId: 'benchmark01' });
  const flow = (await deps.flows.require('benchmarks', 'benchmark01')).definition;
  const advanced = decide({ type: 'AdvanceExecution', executionId: execution.id, now: NOW }, execution, { taskTypes: CORE_TASK_CATALOG, flow, localTasks });
  await store.append(executionStreamId(execution.id), toEventData(advanced), 0n);
  return { id: execution.id, events: await store.readStream(executionStreamId(execution.id)) };
}

describe('intentsOf', () => {
  it('writes every message with its topic contract\'s schemaVersion', async () => {
    const { events } = await startedExecution();
    const intents = events.flatMap((event) => intentsOf(event, topics));
    expect(intents.map((i) => i.topic)).toEqual(expect.arrayContaining([topics.commands, topics.tasks]));
    for (const intent of intents) expect(intent.message.value).toMatchObject({ schemaVersion: 1 });
  });

  it('turns ExecutionCreated into AdvanceExecution on the commands topic, keyed by execution id', async () => {
    const { id, events } = await startedExecution();
    const created = events.find((e) => e.type === 'ExecutionCreated')!;

    expect(consumedIntentsOf(created, topics)).toEqual([
      {
        topic: 'test.commands',
        message: {
          key: id,
          value: { type: 'AdvanceExecution', executionId: id, now: NOW },
          headers: { 'chronicle-causation-id': created.id, 'chronicle-position': created.position.toString() },
        },
      },
    ]);
  });

  it('turns TaskRunCreated with a job into that job on the tasks topic, keyed by execution id', async () => {
    const { id, events } = await startedExecution();
    const taskRunCreated = events.find((e) => e.type === 'TaskRunCreated')!;
    const job = (taskRunCreated.data as { job: TaskJob }).job;

    const intents = consumedIntentsOf(taskRunCreated, topics);

    expect(job).toMatchObject({ executionId: id, taskId: 'concatenate', type: 'OutputValues', attempt: 1, properties: { values: { message: 'Hello World' } } });
    expect(intents).toEqual([{ topic: 'test.tasks', message: { key: id, value: job, headers: expect.objectContaining({ 'chronicle-causation-id': taskRunCreated.id }) } }]);
  });

  it('sends nothing for a TaskRunCreated without a job, nor for events that carry no intent', async () => {
    const { events } = await startedExecution();
    const taskRunCreated = events.find((e) => e.type === 'TaskRunCreated')!;
    const { job: _job, ...withoutJob } = taskRunCreated.data as { job: TaskJob };

    expect(consumedIntentsOf({ ...taskRunCreated, data: withoutJob }, topics)).toEqual([]);
    const others = events.filter((e) => e.type !== 'ExecutionCreated' && e.type !== 'TaskRunCreated');
    expect(others.map((e) => e.type)).toContain('ExecutionStarted');
    for (const event of others) expect(consumedIntentsOf(event, topics)).toEqual([]);
  });

  it('sends a local job to no worker (the executor ran it), only the lines a local Log logged', async () => {
    const { id, events } = await startedExecution(true);
    const [concatenate, hello] = events.filter((e) => e.type === 'TaskRunCreated');
    expect((hello!.data as { job: TaskJob }).job).toMatchObject({ type: 'Log', local: true });

    expect(consumedIntentsOf(concatenate!, topics)).toEqual([]);
    expect(consumedIntentsOf(hello!, topics)).toEqual([
      {
        topic: 'test.logs',
        message: {
          key: id,
          value: { executionId: id, taskRunId: `${id}.1`, taskId: 'hello', level: 'INFO', message: 'Hello World', timestamp: NOW },
          headers: expect.objectContaining({ 'chronicle-causation-id': hello!.id }),
        },
      },
    ]);
    expect(events.map((e) => e.type)).toContain('ExecutionSucceeded');
  });
});
