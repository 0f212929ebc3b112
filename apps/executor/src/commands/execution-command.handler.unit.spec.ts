import { toEventData } from '@chronicle/contracts';
import { createExecution, deployFlow, ExecutionRepository, FlowRepository } from '@chronicle/use-cases';
import { executionStreamId, type ExecutionCommand, type JsonObject, type TaskJob } from '@chronicle/domain';
import { EventStoreUnavailableError, type ReadStreamOptions, type RecordedEvent } from '@chronicle/event-store';
import { InMemoryEventStore } from '@chronicle/event-store/memory';
import { createLogger } from '@chronicle/runtime';
import { BENCHMARK01_FLOW } from '@chronicle/testing';
import { describe, expect, it, vi } from 'vitest';
import { ExecutionCommandHandler } from './execution-command.handler.js';
import { TASK_CATALOG } from '@chronicle/tasks';

const CREATED_AT = '2025-01-01T00:00:00.000Z';
const HANDLED_AT = '2025-01-01T00:00:05.000Z';
const WORKER_AT = '2025-01-01T00:00:09.000Z';
const clock = { now: () => HANDLED_AT };
const logger = createLogger('test', 'silent');

/** The in-memory store, able to play a Postgres outage on flow reads. */
class OutageStore extends InMemoryEventStore {
  failingFlowReads = 0;

  override async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    if (streamId.startsWith('flow-') && this.failingFlowReads > 0) {
      this.failingFlowReads--;
      throw new EventStoreUnavailableError('connection refused');
    }
    return super.readStream(streamId, options);
  }
}

/** Local tasks off: these tests play the worker pool (the last test turns them on). */
async function setup(localTasks = false) {
  const store = new OutageStore();
  const replica = () => new ExecutionCommandHandler(store, new FlowRepository(store, TASK_CATALOG), new ExecutionRepository(store), clock, logger, { localTasks });
  const deps = { store, flows: new FlowRepository(store, TASK_CATALOG), executions: new ExecutionRepository(store), clock: { now: () => CREATED_AT } };
  await deployFlow(deps, BENCHMARK01_FLOW);
  const create = async (name?: string) =>
    (await createExecution(deps, { namespace: 'benchmarks', flowId: 'benchmark01', inputs: name ? { name } : {} })).execution.id;
  return { store, handler: replica(), replica, create, executions: deps.executions };
}

const streamOf = (store: InMemoryEventStore, id: string) => store.readStream(executionStreamId(id));
const typesOf = async (store: InMemoryEventStore, id: string) => (await streamOf(store, id)).map((e) => e.type);
const jobsOf = async (store: InMemoryEventStore, id: string) =>
  (await streamOf(store, id)).filter((e) => e.type === 'TaskRunCreated').map((e) => (e.data as { job: TaskJob }).job);

const advance = (executionId: string): ExecutionCommand => ({ type: 'AdvanceExecution', executionId, now: CREATED_AT });
const start = (job: TaskJob): ExecutionCommand => ({
  type: 'StartTaskRun', executionId: job.executionId, taskRunId: job.taskRunId, attempt: job.attempt, workerId: 'w1', now: WORKER_AT,
});
/** What the worker reports: OutputValues outputs `{ values }`, Log outputs nothing. */
const complete = (job: TaskJob): ExecutionCommand => ({
  type: 'CompleteTaskRun', executionId: job.executionId, taskRunId: job.taskRunId, attempt: job.attempt,
  outputs: job.type === 'OutputValues' ? { values: job.properties.values as JsonObject } : {}, now: WORKER_AT,
});

/** Runs benchmark01 to its end the way the worker pool would, returning every command sent. */
async function runToEnd(handler: ExecutionCommandHandler, store: InMemoryEventStore, id: string): Promise<ExecutionCommand[]> {
  const sent: ExecutionCommand[] = [advance(id)];
  expect(await handler.handle([advance(id)])).toEqual([]);
  for (let index = 0; index < 2; index++) {
    const job = (await jobsOf(store, id))[index]!;
    sent.push(start(job), complete(job));
    expect(await handler.handle([start(job)])).toEqual([]);
    expect(await handler.handle([complete(job)])).toEqual([]);
  }
  return sent;
}

const BENCHMARK01_HISTORY = [
  'ExecutionCreated', 'ExecutionStarted',
  'TaskRunCreated', 'TaskRunStarted', 'TaskRunSucceeded',
  'TaskRunCreated', 'TaskRunStarted', 'TaskRunSucceeded',
  'ExecutionSucceeded',
];

describe('ExecutionCommandHandler', () => {
  it('drives benchmark01 from AdvanceExecution through both task runs to ExecutionSucceeded', async () => {
    const { store, handler, create, executions } = await setup();
    const id = await create('Chronicle');

    await handler.handle([advance(id)]);
    const [concatenate] = await jobsOf(store, id);
    expect(await typesOf(store, id)).toEqual(['ExecutionCreated', 'ExecutionStarted', 'TaskRunCreated']);
    expect(concatenate).toMatchObject({ executionId: id, taskId: 'concatenate', type: 'OutputValues', attempt: 1, properties: { values: { message: 'Hello Chronicle' } } });
    // AdvanceExecution is stamped by the executor's clock when handled, not by its sender.
    expect((await streamOf(store, id))[1]!.data).toEqual({ at: HANDLED_AT });

    await handler.handle([start(concatenate!)]);
    await handler.handle([complete(concatenate!)]);
    const hello = (await jobsOf(store, id))[1]!;
    expect(hello).toMatchObject({ taskId: 'hello', type: 'Log', properties: { message: 'Hello Chronicle' } });

    await handler.handle([start(hello)]);
    await handler.handle([complete(hello)]);

    expect(await typesOf(store, id)).toEqual(BENCHMARK01_HISTORY);
    const done = await executions.load(id);
    expect(done).toMatchObject({ state: 'SUCCESS', revision: BENCHMARK01_HISTORY.length - 1 });
    expect(done!.taskRuns.map((t) => [t.taskId, t.state])).toEqual([['concatenate', 'SUCCESS'], ['hello', 'SUCCESS']]);
    expect(done!.taskRuns[0]!.outputs).toEqual({ values: { message: 'Hello Chronicle' } });
    // Every event carries the execution id as correlation id.
    expect((await streamOf(store, id)).every((e) => e.metadata.correlationId === id)).toBe(true);
  });

  it('appends nothing for duplicate commands, within one batch or redelivered later', async () => {
    const { store, handler, replica, create } = await setup();
    const id = await create();

    await handler.handle([advance(id), advance(id)]);
    const [job] = await jobsOf(store, id);
    await handler.handle([start(job!), start(job!), start(job!)]);
    expect(await typesOf(store, id)).toEqual(['ExecutionCreated', 'ExecutionStarted', 'TaskRunCreated', 'TaskRunStarted']);

    const sent = await runToEnd(handler, store, id);
    const head = await store.headPosition();
    // The bus redelivers everything (e.g. after a crash before the commit), to this replica and to a fresh one.
    expect(await handler.handle(sent)).toEqual([]);
    const fresh = replica();
    for (const command of sent) expect(await fresh.handle([command])).toEqual([]);
    expect(await store.headPosition()).toBe(head);
    expect(await typesOf(store, id)).toEqual(BENCHMARK01_HISTORY);
  });

  it('returns a command for a missing execution as rejected instead of throwing, and still writes the others', async () => {
    const { store, handler, create } = await setup();
    const id = await create();
    const missing = advance('no-such-execution');

    const rejected = await handler.handle([missing, advance(id)]);

    expect(rejected).toEqual([{ command: missing, reason: expect.stringMatching(/no-such-execution.*does not exist/) }]);
    expect(await store.readStream(executionStreamId('no-such-execution'))).toEqual([]);
    expect(await typesOf(store, id)).toEqual(['ExecutionCreated', 'ExecutionStarted', 'TaskRunCreated']);
  });

  it('rejects a report for a task run the execution does not have, with the reason', async () => {
    const { store, handler, create } = await setup();
    const id = await create();
    await handler.handle([advance(id)]);
    const [job] = await jobsOf(store, id);
    const unknown = start({ ...job!, taskRunId: `${id}.99` });

    const rejected = await handler.handle([unknown, start(job!)]);

    expect(rejected).toEqual([{ command: unknown, reason: expect.stringContaining(`${id}.99`) }]);
    expect(await typesOf(store, id)).toEqual(['ExecutionCreated', 'ExecutionStarted', 'TaskRunCreated', 'TaskRunStarted']);
  });

  it('writes a batch of commands for several executions, each to its own stream', async () => {
    const { store, handler, create } = await setup();
    const ids = [await create('a'), await create('b'), await create('c')];

    expect(await handler.handle(ids.map(advance))).toEqual([]);
    for (const id of ids) expect(await typesOf(store, id)).toEqual(['ExecutionCreated', 'ExecutionStarted', 'TaskRunCreated']);

    // Several commands per execution in one batch, interleaved: each stream gets its own, in order.
    const jobs = await Promise.all(ids.map(async (id) => (await jobsOf(store, id))[0]!));
    expect(await handler.handle([...jobs.map(start), ...jobs.map(complete)])).toEqual([]);
    for (const [i, id] of ids.entries()) {
      const events = await streamOf(store, id);
      expect(events.map((e) => e.type)).toEqual(['ExecutionCreated', 'ExecutionStarted', 'TaskRunCreated', 'TaskRunStarted', 'TaskRunSucceeded', 'TaskRunCreated']);
      expect(events.map((e) => Number(e.revision))).toEqual([0, 1, 2, 3, 4, 5]);
      expect((events[5]!.data as { job: TaskJob }).job.properties).toEqual({ message: `Hello ${['a', 'b', 'c'][i]}` });
    }
  });

  it('decides again when another replica wrote behind its cached state: no conflict escapes, no duplicate event', async () => {
    const { store, replica, create } = await setup();
    const id = await create();
    const [a, b] = [replica(), replica()];
    await a.handle([advance(id)]);
    await b.handle([advance(id)]); // both replicas now cache the execution as of TaskRunCreated
    const [job] = await jobsOf(store, id);

    await a.handle([start(job!)]);
    // b's cache misses TaskRunStarted: it would decide it again and collide with a's write.
    expect(await b.handle([start(job!)])).toEqual([]);
    expect(await typesOf(store, id)).toEqual(['ExecutionCreated', 'ExecutionStarted', 'TaskRunCreated', 'TaskRunStarted']);

    // A new command decided on a stale state is re-decided too: the start it implies is not written twice.
    await a.handle([start(job!)]);
    expect(await b.handle([complete(job!)])).toEqual([]);
    expect(await typesOf(store, id)).toEqual([
      'ExecutionCreated', 'ExecutionStarted', 'TaskRunCreated', 'TaskRunStarted', 'TaskRunSucceeded', 'TaskRunCreated',
    ]);
  });

  it('does not refuse a command against a stale cached state: a task run another replica created is found in the stream', async () => {
    const { store, replica, create } = await setup();
    const id = await create();
    const [a, b] = [replica(), replica()];
    await a.handle([advance(id)]);
    const [first] = await jobsOf(store, id);
    await a.handle([start(first!)]); // a caches the execution with its first task run only
    // The partition moves to b (a rebalance), which finishes the first task run: the second one is created.
    await b.handle([complete(first!)]);
    const second = (await jobsOf(store, id))[1]!;

    // Back on a, the worker's report about the second task run is decided; a's cache has never heard of it.
    expect(await a.handle([start(second)])).toEqual([]);
    expect(await typesOf(store, id)).toEqual([
      'ExecutionCreated', 'ExecutionStarted', 'TaskRunCreated', 'TaskRunStarted', 'TaskRunSucceeded', 'TaskRunCreated', 'TaskRunStarted',
    ]);
  });

  it('resolves a conflict with a write that happened behind its back in the same batch as other executions', async () => {
    const { store, replica, create } = await setup();
    const [x, y] = [await create('x'), await create('y')];
    const [a, b] = [replica(), replica()];
    await b.handle([advance(x), advance(y)]);
    const [jobX] = await jobsOf(store, x);
    const [jobY] = await jobsOf(store, y);
    await a.handle([start(jobX!)]);

    // One appendMany for both streams: x's expectation fails, so nothing is written, then both are re-decided.
    expect(await b.handle([start(jobX!), start(jobY!)])).toEqual([]);

    expect(await typesOf(store, x)).toEqual(['ExecutionCreated', 'ExecutionStarted', 'TaskRunCreated', 'TaskRunStarted']);
    expect(await typesOf(store, y)).toEqual(['ExecutionCreated', 'ExecutionStarted', 'TaskRunCreated', 'TaskRunStarted']);
  });

  it('picks up an execution whose stream moved on, e.g. after an append by another writer', async () => {
    const { store, handler, create } = await setup();
    const id = await create();
    await handler.handle([advance(id)]);
    const [job] = await jobsOf(store, id);
    // Another writer reports the start directly (as a replica with its own handler would).
    await store.append(
      executionStreamId(id),
      toEventData([{ type: 'TaskRunStarted', data: { taskRunId: job!.taskRunId, attempt: 1, workerId: 'other', at: WORKER_AT } }]),
      2n,
    );

    expect(await handler.handle([start(job!), complete(job!)])).toEqual([]);

    const events = await streamOf(store, id);
    expect(events.map((e) => e.type)).toEqual(['ExecutionCreated', 'ExecutionStarted', 'TaskRunCreated', 'TaskRunStarted', 'TaskRunSucceeded', 'TaskRunCreated']);
    expect(events[3]!.data).toMatchObject({ workerId: 'other' });
  });

  it('throws (so the bus retries) when the store is unavailable, instead of rejecting the command for good', async () => {
    const { store, handler, create } = await setup();
    const id = await create();
    store.failingFlowReads = 1;

    await expect(handler.handle([advance(id)])).rejects.toBeInstanceOf(EventStoreUnavailableError);
    expect(await typesOf(store, id)).toEqual(['ExecutionCreated']);

    expect(await handler.handle([advance(id)])).toEqual([]);
    expect(await typesOf(store, id)).toEqual(['ExecutionCreated', 'ExecutionStarted', 'TaskRunCreated']);
  });

  it('with local tasks, runs benchmark01 whole on AdvanceExecution: one append, and nothing left for a worker', async () => {
    const { store, handler, create, executions } = await setup(true);
    const id = await create();
    const appends = vi.spyOn(store, 'appendMany');
    expect(await handler.handle([advance(id)])).toEqual([]);
    expect(appends).toHaveBeenCalledTimes(1);
    expect(await typesOf(store, id)).toEqual(BENCHMARK01_HISTORY);
    expect((await jobsOf(store, id)).map((job) => [job.type, job.local])).toEqual([['OutputValues', true], ['Log', true]]);
    expect((await executions.load(id))?.taskRuns.map((t) => t.outputs)).toEqual([{ values: { message: 'Hello World' } }, {}]);
    // A late report for a local attempt (there is none, but a redelivery could look like one) changes nothing.
    const [first] = await jobsOf(store, id);
    expect(await handler.handle([complete(first!)])).toEqual([]);
    expect(await typesOf(store, id)).toEqual(BENCHMARK01_HISTORY);
  });
});

describe('ExecutionCommandHandler.prime (the relay hands over a new execution)', () => {
  /** Counts the reads of execution streams (the re-read prime saves). */
  function countingReads(store: InMemoryEventStore) {
    const reads: string[] = [];
    const read = store.readStream.bind(store);
    store.readStream = async (streamId, options) => {
      if (streamId.startsWith('execution-')) reads.push(streamId);
      return read(streamId, options);
    };
    return reads;
  }

  it('decides the first command from the primed ExecutionCreated, without reading the stream back, and writes what a cold start writes', async () => {
    const primed = await setup(true);
    const id = await primed.create('Ada');
    const [created] = await streamOf(primed.store, id);
    const reads = countingReads(primed.store);
    primed.handler.prime(created!);
    expect(await primed.handler.handle([advance(id)])).toEqual([]);
    expect(reads).toEqual([]);

    const cold = await setup(true);
    const coldId = await cold.create('Ada');
    await cold.handler.handle([advance(coldId)]);
    expect(await typesOf(primed.store, id)).toEqual(await typesOf(cold.store, coldId));
    expect((await primed.executions.load(id))?.state).toBe('SUCCESS');
  });

  it('a wrong guess (the stream already holds more than its first event) costs a retry from the stream, never a wrong decision', async () => {
    const { store, handler, replica, create, executions } = await setup(true);
    const id = await create('Ada');
    const [created] = await streamOf(store, id);
    await replica().handle([advance(id)]);
    handler.prime(created!);
    expect(await handler.handle([advance(id)])).toEqual([]);
    const types = await typesOf(store, id);
    expect(types.filter((t) => t === 'ExecutionStarted')).toHaveLength(1);
    expect((await executions.load(id))?.state).toBe('SUCCESS');
  });

  it('a primed state that went stale (another replica ran the execution on) does not swallow a command that decides nothing against it', async () => {
    const { store, handler, replica, create } = await setup();
    const id = await create('Ada');
    const [created] = await streamOf(store, id);
    // The relay on this replica primes the new execution, but the partition's owner is another replica, which starts its task.
    handler.prime(created!);
    const other = replica();
    await other.handle([advance(id)]);
    const [job] = await jobsOf(store, id);
    await other.handle([start(job!)]);
    // The owner dies; the partition comes here; the scheduler expires the dead worker's lease.
    const expire = { type: 'ExpireTaskRunLease', executionId: id, taskRunId: job!.taskRunId, attempt: 1, now: WORKER_AT } as const;
    expect(await handler.handle([expire])).toEqual([]);
    const types = await typesOf(store, id);
    expect(types.slice(0, 4)).toEqual(['ExecutionCreated', 'ExecutionStarted', 'TaskRunCreated', 'TaskRunStarted']);
    expect(types.length).toBeGreaterThan(4);
    expect((await streamOf(store, id)).slice(4).map((e) => JSON.stringify(e.data)).join(' ')).toMatch(/worker lost/);
  });

  it('a relay that takes over primes executions the dead leader\'s replica already advanced: the worker\'s reports on their first task run still apply', async () => {
    // The chaos run's executions stuck with their first task run CREATED and no attempt: executor-1
    // advanced them and was SIGKILLed; executor-2 became the relay leader, replayed the log from the
    // relay's checkpoint and primed their ExecutionCreated (a CREATED state, no task run), and took
    // their commands partition over. Against that state StartTaskRun and CompleteTaskRun decided
    // nothing (a CREATED execution accepts no results), and were dropped as duplicates.
    const { store, handler, replica, create, executions } = await setup();
    const id = await create('Ada');
    const [created] = await streamOf(store, id);
    await replica().handle([advance(id)]);
    handler.prime(created!);
    const [job] = await jobsOf(store, id);
    expect(await handler.handle([start(job!)])).toEqual([]);
    expect(await handler.handle([complete(job!)])).toEqual([]);
    const run = (await executions.load(id))?.taskRuns.find((t) => t.id === job!.taskRunId);
    expect(run?.attempts.map((a) => a.state)).toEqual(['SUCCESS']);
    expect((await typesOf(store, id)).slice(2, 5)).toEqual(['TaskRunCreated', 'TaskRunStarted', 'TaskRunSucceeded']);
  });

  it('ignores anything but an ExecutionCreated at revision 0', async () => {
    const { store, handler, create } = await setup(true);
    const id = await create('Ada');
    await handler.handle([advance(id)]);
    const events = await streamOf(store, id);
    const reads = countingReads(store);
    handler.prime({ ...events[0]!, revision: 3n });
    handler.prime(events[1]!);
    // Nothing was kept: the next command for it reads its stream (a kept state would not).
    expect(await handler.handle([advance(id)])).toEqual([]);
    expect(reads).toEqual([executionStreamId(id)]);
  });
});

describe('ExecutionCommandHandler: WaitForExecution by labels', () => {
  const WAITER = `id: waiter
namespace: team
tasks:
  - { id: wait, type: io.chronicle.plugin.core.execution.WaitForExecution, labels: { release: "7" }, states: [RUNNING] }
`;

  it('asks the read model for the newest execution with the labels (never the waiter itself) before deciding, then watches it', async () => {
    const store = new InMemoryEventStore();
    const deps = { store, flows: new FlowRepository(store, TASK_CATALOG), executions: new ExecutionRepository(store), clock: { now: () => CREATED_AT } };
    await deployFlow(deps, WAITER);
    const id = (await createExecution(deps, { namespace: 'team', flowId: 'waiter', inputs: {} })).execution.id;
    const asked: unknown[] = [];
    const watchTargets = { newestWithLabels: async (query: unknown) => (asked.push(query), 'deploy-7') };
    const handler = new ExecutionCommandHandler(store, deps.flows, deps.executions, clock, logger, { watchTargets });
    expect(await handler.handle([advance(id)])).toEqual([]);
    const taskRunId = `${id}.0`;
    expect(await handler.handle([{ type: 'ResolveWatchTarget', executionId: id, taskRunId, labels: { release: '7' }, now: CREATED_AT }])).toEqual([]);
    expect(asked).toEqual([{ namespace: 'team', labels: { release: '7' }, excludeId: id }]);
    const requests = (await streamOf(store, id)).filter((e) => e.type === 'ExecutionWatchRequested').map((e) => e.data);
    expect(requests).toMatchObject([{ taskRunId, targetLabels: { release: '7' } }, { taskRunId, targetExecutionId: 'deploy-7', states: ['RUNNING'] }]);

    // Without a read model the task fails and says why.
    const blind = new ExecutionCommandHandler(store, deps.flows, deps.executions, clock, logger);
    const other = (await createExecution(deps, { namespace: 'team', flowId: 'waiter', inputs: {} })).execution.id;
    await blind.handle([advance(other)]);
    await blind.handle([{ type: 'ResolveWatchTarget', executionId: other, taskRunId: `${other}.0`, labels: { release: '7' }, now: CREATED_AT }]);
    const state = await deps.executions.load(other);
    expect(state?.taskRuns[0]).toMatchObject({ state: 'FAILED', error: expect.stringMatching(/needs the read model/) });
  });
});

describe('ExecutionCommandHandler: the state it keeps is bounded (CHRONICLE_EXECUTION_CACHE_SIZE)', () => {
  const handlerWith = async (maxCached: number) => {
    const { store, create } = await setup();
    const handler = new ExecutionCommandHandler(store, new FlowRepository(store, TASK_CATALOG), new ExecutionRepository(store), clock, logger, { localTasks: false, maxCached });
    return { store, handler, create };
  };

  it('keeps at most maxCached running executions, evicting the least recently decided, and still decides the evicted ones from their stream', async () => {
    const { store, handler, create } = await handlerWith(2);
    const ids = [await create('a'), await create('b'), await create('c')];
    for (const id of ids) await handler.handle([advance(id)]);
    expect(handler.cachedExecutions).toBe(2);
    // The first was evicted: its next command reads the stream and decides as if it had been kept.
    const [first] = await jobsOf(store, ids[0]!);
    await handler.handle([start(first!)]);
    expect(await typesOf(store, ids[0]!)).toContain('TaskRunStarted');
    expect(handler.cachedExecutions).toBe(2);
  });

  it('keeps none with a bound of 0', async () => {
    const { handler, create } = await handlerWith(0);
    await handler.handle([advance(await create('a'))]);
    expect(handler.cachedExecutions).toBe(0);
  });
});
