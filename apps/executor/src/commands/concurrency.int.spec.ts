import { createExecution, deployFlow, ExecutionRepository, FlowRepository } from '@chronicle/use-cases';
import { ConcurrencySlots, InMemoryCheckpointStore } from '@chronicle/stores';
import type { Execution } from '@chronicle/domain';
import { InMemoryEventStore } from '@chronicle/event-store/memory';
import { InProcessMessageBus, topicNames } from '@chronicle/messaging';
import { createLogger, systemClock } from '@chronicle/runtime';
import { createTestDatabase, type TestDatabase } from '@chronicle/testing';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { OutboxRelay } from '../relay/outbox-relay.js';
import { TaskWorker } from '../worker/task-worker.js';
import { ConcurrencyReleaseHandler } from './concurrency-release.handler.js';
import { consumeExecutionCommands } from './execution-command.consumer.js';
import { ExecutionCommandHandler } from './execution-command.handler.js';
import { TASK_CATALOG } from '@chronicle/tasks';

const topics = topicNames('concurrency-test');
const logger = createLogger('test', 'silent');
const cleanup: Array<() => Promise<void>> = [];
let db: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase('exec_concurrency');
  pool = new pg.Pool({ connectionString: db.url });
});
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

// A Pause holds each execution RUNNING until the test resumes it.
const limited = (behavior: string) => `id: limited-${behavior.toLowerCase()}
namespace: ns
inputs:
  - { id: customer, type: STRING }
concurrency: { limit: 1, behavior: ${behavior}, key: "{{ inputs.customer }}" }
tasks:
  - { id: hold, type: Pause }
  - { id: done, type: Log, message: "{{ inputs.customer }}" }
`;

/** Relay, command consumer (with the slot table in real Postgres) and worker, in one process. */
async function engine() {
  const store = new InMemoryEventStore();
  const bus = new InProcessMessageBus();
  await bus.ensureTopics(Object.values(topics));
  const deps = { store, flows: new FlowRepository(store, TASK_CATALOG), executions: new ExecutionRepository(store), clock: systemClock };
  for (const behavior of ['QUEUE', 'CANCEL', 'FAIL']) await deployFlow(deps, limited(behavior));
  const slots = new ConcurrencySlots(pool);
  await slots.ensureSchema();
  const handler = new ExecutionCommandHandler(store, deps.flows, deps.executions, systemClock, logger, { admission: slots });
  const consumer = await consumeExecutionCommands(bus, topics, { handler, releases: new ConcurrencyReleaseHandler(slots, systemClock, logger) }, logger);
  const worker = new TaskWorker(bus, topics, systemClock, logger, 'w1', 4);
  await worker.start();
  const relay = new OutboxRelay(store, bus, topics, new InMemoryCheckpointStore(), logger);
  await relay.start();
  cleanup.push(async () => {
    await relay.stop();
    await worker.stop();
    await consumer.stop();
    await bus.close();
  });
  const state = async (id: string): Promise<Execution> => (await deps.executions.load(id))!;
  const until = (id: string, expected: string) => vi.waitFor(async () => expect((await state(id)).state).toBe(expected), { timeout: 15_000 });
  const start = async (flowId: string, customer: string, priority?: number) =>
    (await createExecution(deps, { namespace: 'ns', flowId, inputs: { customer }, ...(priority !== undefined ? { options: { priority } } : {}) })).execution.id;
  const resume = (id: string) => bus.publish(topics.commands, [{ key: id, value: { type: 'ResumeExecution', executionId: id, now: systemClock.now() } }]);
  const reprioritize = (id: string, priority: number) => bus.publish(topics.commands, [{ key: id, value: { type: 'UpdateExecution', executionId: id, priority, now: systemClock.now() } }]);
  return { state, until, start, resume, reprioritize };
}

describe('flow concurrency limits through the executor (slots in real Postgres)', () => {
  it('QUEUE: the second execution of a key waits QUEUED, another key runs, and the end of the first starts the second', async () => {
    const { state, until, start, resume } = await engine();
    const first = await start('limited-queue', 'acme');
    await until(first, 'PAUSED');
    const second = await start('limited-queue', 'acme');
    const otherKey = await start('limited-queue', 'globex');
    await until(second, 'QUEUED');
    await until(otherKey, 'PAUSED');

    await resume(first);
    await until(first, 'SUCCESS');
    await until(second, 'PAUSED');
    await resume(second);
    await resume(otherKey);
    await until(second, 'SUCCESS');
    await until(otherKey, 'SUCCESS');

    expect((await state(second)).stateHistory.map((h) => h.state)).toEqual(['CREATED', 'QUEUED', 'RUNNING', 'PAUSED', 'RUNNING', 'SUCCESS']);
    const firstEnded = (await state(first)).endDate!;
    const secondStarted = (await state(second)).stateHistory.find((h) => h.state === 'RUNNING')!.date;
    expect(secondStarted >= firstEnded).toBe(true);
    expect(await new ConcurrencySlots(pool).entries({ namespace: 'ns', flowId: 'limited-queue', key: 'acme' })).toEqual([]);
  });

  it("a run's own priority orders the queue: the later, higher-priority execution gets the freed slot first", async () => {
    const { state, until, start, resume } = await engine();
    const holder = await start('limited-queue', 'initech');
    await until(holder, 'PAUSED');
    const low = await start('limited-queue', 'initech');
    await until(low, 'QUEUED');
    const high = await start('limited-queue', 'initech', 5);
    await until(high, 'QUEUED');

    await resume(holder);
    await until(high, 'PAUSED');
    expect((await state(low)).state).toBe('QUEUED');
    await resume(high);
    await until(low, 'PAUSED');
    await resume(low);
    await until(low, 'SUCCESS');
  });

  it('a priority raised while QUEUED moves the execution ahead in the queue', async () => {
    const { state, until, start, resume, reprioritize } = await engine();
    const holder = await start('limited-queue', 'umbrella');
    await until(holder, 'PAUSED');
    const first = await start('limited-queue', 'umbrella');
    await until(first, 'QUEUED');
    const second = await start('limited-queue', 'umbrella');
    await until(second, 'QUEUED');
    await reprioritize(second, 9);
    await vi.waitFor(async () => expect((await state(second)).options?.priority).toBe(9), { timeout: 15_000 });

    await resume(holder);
    await until(second, 'PAUSED');
    expect((await state(first)).state).toBe('QUEUED');
    await resume(second);
    await until(first, 'PAUSED');
    await resume(first);
    await until(first, 'SUCCESS');
  });

  it('CANCEL and FAIL: an execution over the limit ends at once, and a slot freed is usable again', async () => {
    const { until, start, resume } = await engine();
    const holder = await start('limited-cancel', 'a');
    await until(holder, 'PAUSED');
    await until(await start('limited-cancel', 'a'), 'CANCELLED');
    const failHolder = await start('limited-fail', 'a');
    await until(failHolder, 'PAUSED');
    await until(await start('limited-fail', 'a'), 'FAILED');
    await resume(holder);
    await until(holder, 'SUCCESS');
    await until(await start('limited-cancel', 'a'), 'PAUSED');
  });
});
