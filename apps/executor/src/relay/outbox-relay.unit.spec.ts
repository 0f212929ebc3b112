import { createExecution, deployFlow, ExecutionRepository, FlowRepository } from '@chronicle/use-cases';
import { InMemoryCheckpointStore } from '@chronicle/stores';
import { executionStreamId, type ExecutionCommand, type TaskJob } from '@chronicle/domain';
import { InMemoryEventStore } from '@chronicle/event-store/memory';
import { InProcessMessageBus, topicNames, type Consumer, type ReceivedMessage } from '@chronicle/messaging';
import { createLogger } from '@chronicle/runtime';
import { BENCHMARK01_FLOW } from '@chronicle/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ExecutionCommandHandler } from '../commands/execution-command.handler.js';
import { OutboxRelay, RELAY_CHECKPOINT } from './outbox-relay.js';
import { TASK_CATALOG } from '@chronicle/tasks';

/** Waits for a condition with room for a loaded machine (vi.waitFor gives up after 1 s by default). */
const until = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 30_000, interval: 20 });
import { contractsByTopic, parseLogLine } from '@chronicle/contracts';

const NOW = '2025-01-01T00:00:00.000Z';
const clock = { now: () => NOW };
const logger = createLogger('test', 'silent');
const topics = topicNames('relay-test');

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

/** Checkpoints in memory, with a switch to make saving fail (the database went away). */
class UnreliableCheckpointStore extends InMemoryCheckpointStore {
  broken = false;

  override async save(name: string, position: bigint): Promise<void> {
    if (this.broken) throw new Error('checkpoint table unreachable');
    await super.save(name, position);
  }
}

/**
 * `durable`: the relay sees the bus as Kafka's adapter looks (no `unhandled`: what it accepted
 * survives the process), so it checkpoints each batch as soon as it is published.
 */
async function setup(checkpoints = new InMemoryCheckpointStore(), durable = false) {
  const store = new InMemoryEventStore();
  const bus = new InProcessMessageBus();
  await bus.ensureTopics(Object.values(topics));
  const deps = { store, flows: new FlowRepository(store, TASK_CATALOG), executions: new ExecutionRepository(store), clock };
  // Local tasks off: the relay's job is to send the jobs to the workers (local ones are covered by intentsOf's tests).
  const handler = new ExecutionCommandHandler(store, deps.flows, deps.executions, clock, logger, { localTasks: false });
  await deployFlow(deps, BENCHMARK01_FLOW);
  const startRelay = async () => {
    const relayBus = durable ? new Proxy(bus, { get: (target, property) => (property === 'unhandled' ? undefined : Reflect.get(target, property)) }) : bus;
    const relay = new OutboxRelay(store, relayBus, topics, checkpoints, logger);
    await relay.start();
    cleanup.push(() => relay.stop());
    return relay;
  };
  const received = { commands: [] as ReceivedMessage[], tasks: [] as ReceivedMessage[] };
  const consumers: Consumer[] = [];
  for (const topic of ['commands', 'tasks'] as const) {
    // Read as the consumers do: through the topic's contract.
    consumers.push(await bus.consume({ topic: topics[topic], groupId: 'observer' }, async (m) => void received[topic].push({ ...m, value: contractsByTopic(topics).get(m.topic)!.parse(m.value) })));
  }
  cleanup.push(() => bus.close());
  /** Created and advanced: ExecutionCreated and the first TaskRunCreated are in the log. */
  const startedExecution = async (name: string) => {
    const { execution } = await createExecution(deps, { namespace: 'benchmarks', flowId: 'benchmark01', inputs: { name } });
    await handler.handle([{ type: 'AdvanceExecution', executionId: execution.id, now: NOW }]);
    return execution.id;
  };
  /** Waits until the relay has checkpointed the last intent event and the observers have read everything. */
  const relayed = async () => {
    const intents = await store.readAll({ filter: { eventTypes: ['ExecutionCreated', 'TaskRunCreated'] } });
    const last = intents.at(-1)!.position;
    await until(async () => expect(await checkpoints.load(RELAY_CHECKPOINT)).toBe(last));
    await until(async () => {
      for (const consumer of consumers) expect(await consumer.lag()).toBe(0);
    });
  };
  return { store, bus, checkpoints, startRelay, startedExecution, relayed, received, handler };
}

const firstJob = async (store: InMemoryEventStore, id: string) =>
  (await store.readStream(executionStreamId(id))).find((e) => e.type === 'TaskRunCreated')!;

describe('OutboxRelay', () => {
  it('publishes AdvanceExecution for ExecutionCreated and the job for TaskRunCreated, then saves the checkpoint', async () => {
    const { store, startRelay, startedExecution, relayed, received, checkpoints } = await setup();
    const id = await startedExecution('Relay');
    const taskRunCreated = await firstJob(store, id);

    await startRelay();
    await relayed();

    expect(received.commands.map((m) => [m.topic, m.key, m.value])).toEqual([
      [topics.commands, id, { type: 'AdvanceExecution', executionId: id, now: NOW } satisfies ExecutionCommand],
    ]);
    const job = (taskRunCreated.data as { job: TaskJob }).job;
    expect(job).toMatchObject({ taskId: 'concatenate', properties: { values: { message: 'Hello Relay' } } });
    expect(received.tasks.map((m) => [m.topic, m.key, m.value])).toEqual([[topics.tasks, id, job]]);
    expect(received.tasks[0]!.headers).toMatchObject({ 'chronicle-causation-id': taskRunCreated.id, 'chronicle-position': taskRunCreated.position.toString() });
    expect(await checkpoints.load(RELAY_CHECKPOINT)).toBe(taskRunCreated.position);
  });

  it('follows the log live: events appended after the start are relayed too', async () => {
    const { startRelay, startedExecution, relayed, received } = await setup();
    await startRelay();

    const id = await startedExecution('Live');
    await relayed();

    expect(received.commands.map((m) => m.key)).toEqual([id]);
    expect(received.tasks.map((m) => (m.value as TaskJob).executionId)).toEqual([id]);
  });

  it('on the in-process bus, checkpoints a batch only once every consumer handled what is on the bus (a SIGKILL loses the rest)', async () => {
    const { store, bus, startRelay, startedExecution, checkpoints, received } = await setup();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // A worker that has the job but has not reported it started yet.
    cleanup.push(async () => release());
    await bus.consume({ topic: topics.tasks, groupId: 'busy-worker' }, async () => held);
    await startRelay();
    const id = await startedExecution('held');
    const job = await firstJob(store, id);
    await until(() => expect(received.tasks).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await checkpoints.load(RELAY_CHECKPOINT)) ?? -1n).toBeLessThan(job.position);

    release();
    await until(async () => expect(await checkpoints.load(RELAY_CHECKPOINT)).toBe(job.position));
  });

  it('resumes from the saved checkpoint: a new relay sends the new events, not the old ones again', async () => {
    const { startRelay, startedExecution, relayed, received } = await setup();
    const first = await startedExecution('one');
    const relay = await startRelay();
    await relayed();
    await relay.stop();

    const second = await startedExecution('two');
    await startRelay();
    await relayed();

    expect(received.commands.map((m) => m.key)).toEqual([first, second]);
    expect(received.tasks.map((m) => (m.value as TaskJob).executionId)).toEqual([first, second]);
  });

  it('saves no checkpoint when it could not finish a batch, and sends that batch again once the store answers (at least once, never exits)', async () => {
    const checkpoints = new UnreliableCheckpointStore();
    const { startRelay, startedExecution, relayed, received } = await setup(checkpoints, true);
    const id = await startedExecution('again');
    checkpoints.broken = true;

    await startRelay();
    await until(() => expect(received.commands.length).toBeGreaterThanOrEqual(1));
    expect(await checkpoints.load(RELAY_CHECKPOINT)).toBeUndefined();

    // The same relay carries on by itself once the checkpoint table answers again.
    checkpoints.broken = false;
    await relayed();

    // Sent before the failed save, and again after it: consumers ignore the duplicate.
    expect(new Set(received.commands.map((m) => m.key))).toEqual(new Set([id]));
    expect(received.commands.length).toBeGreaterThanOrEqual(2);
    expect(new Set(received.tasks.map((m) => (m.value as TaskJob).executionId))).toEqual(new Set([id]));
  });

  it("publishes one ERROR line per task-run failure with its task id, also from a restarted relay that did not see the task run created", async () => {
    const { store, bus, checkpoints, startRelay, startedExecution, handler } = await setup();
    const logs: ReceivedMessage[] = [];
    await bus.consume({ topic: topics.logs, groupId: 'observer' }, async (m) => void logs.push({ ...m, value: parseLogLine(m.value) }));
    const fail = async (id: string) => {
      const { taskRunId } = (await firstJob(store, id)).data as { taskRunId: string };
      await handler.handle([
        { type: 'StartTaskRun', executionId: id, taskRunId, attempt: 1, workerId: 'w', now: NOW },
        { type: 'FailTaskRun', executionId: id, taskRunId, attempt: 1, error: 'boom', now: NOW },
      ]);
      return taskRunId;
    };
    const relay = await startRelay();
    const seen = await startedExecution('seen');
    const seenRun = await fail(seen);
    await until(() => expect(logs).toHaveLength(1));
    const unseen = await startedExecution('unseen');
    const created = await firstJob(store, unseen);
    await until(async () => expect((await checkpoints.load(RELAY_CHECKPOINT))! >= created.position).toBe(true));
    await relay.stop();

    const unseenRun = await fail(unseen);
    await startRelay();

    await until(() => expect(logs).toHaveLength(2));
    expect(logs.map((m) => [m.key, m.value])).toEqual([
      [seen, { executionId: seen, taskRunId: seenRun, taskId: 'concatenate', level: 'ERROR', message: 'boom', timestamp: NOW }],
      [unseen, { executionId: unseen, taskRunId: unseenRun, taskId: 'concatenate', level: 'ERROR', message: 'boom', timestamp: NOW }],
    ]);
  });
});
