import { boundOr, createExecution, deployFlow, ExecutionRepository, FirstStepDecider, FlowRepository, intentsOf, LocalFirstDecision } from '@chronicle/use-cases';
import { executionStreamId, type ExecutionCommand } from '@chronicle/domain';
import { InMemoryEventStore } from '@chronicle/event-store/memory';
import { topicNames } from '@chronicle/messaging';
import { logLinesWithRows } from '@chronicle/contracts';
import { createLogger } from '@chronicle/runtime';
import { BENCHMARK01_FLOW } from '@chronicle/testing';
import { describe, expect, it } from 'vitest';
import { ExecutionCommandHandler } from './execution-command.handler.js';
import { TASK_CATALOG } from '@chronicle/tasks';

const NOW = '2025-01-01T00:00:00.000Z';
const topics = topicNames('test');
const LIMITED = `id: limited
namespace: benchmarks
concurrency:
  limit: 1
tasks:
  - { id: a, type: io.kestra.plugin.core.log.Log, message: hi }
`;

/**
 * `true`: the executor of the same process decides the first step (standalone); `'own'`: a process
 * without an executor decides it itself (the distributed gateway: FirstStepDecider behind an
 * unbound LocalFirstDecision, as gateway.providers.ts wires it); `false`: the usual way.
 */
async function setup(firstStep: boolean | 'own') {
  const store = new InMemoryEventStore();
  const clock = { now: () => NOW };
  const flows = new FlowRepository(store, TASK_CATALOG);
  const executions = new ExecutionRepository(store);
  const handler = new ExecutionCommandHandler(store, flows, executions, clock, createLogger('test', 'silent'));
  const local = new LocalFirstDecision();
  if (firstStep === true) local.bind(handler);
  const firstDecision = firstStep === 'own' ? boundOr(local, new FirstStepDecider(flows, clock, { localTasks: true })) : local;
  const deps = { store, flows, executions, clock, firstDecision };
  await deployFlow(deps, BENCHMARK01_FLOW);
  await deployFlow(deps, LIMITED);
  return { store, handler, deps };
}

/** What a stream says, without what differs per run (event ids, trace context). */
const stored = async (store: InMemoryEventStore, id: string) =>
  (await store.readStream(executionStreamId(id))).map((e) => ({ type: e.type, data: e.data, actor: e.metadata.actor }));

describe('a start whose first step the executor of the same process decides (FirstDecision)', () => {
  it('writes creation, start and local tasks in one append, the same events the relay and the executor would write, and the relay sends no AdvanceExecution for it', async () => {
    const fused = await setup(true);
    const { execution, created } = await createExecution(fused.deps, { namespace: 'benchmarks', flowId: 'benchmark01', executionId: 'e-1', inputs: { name: 'Ada' } });
    expect(created).toBe(true);
    // The caller still gets the created state.
    expect(execution.state).toBe('CREATED');
    const events = await fused.store.readStream(executionStreamId('e-1'));
    expect(new Set(events.map((e) => e.position)).size).toBe(events.length);
    expect(events.at(-1)!.type).toBe('ExecutionSucceeded');
    expect(intentsOf(events[0]!, topics).filter((i) => i.topic === topics.commands)).toEqual([]);

    // The usual way: creation alone, then the relay's AdvanceExecution decided by the executor.
    const usual = await setup(false);
    await createExecution(usual.deps, { namespace: 'benchmarks', flowId: 'benchmark01', executionId: 'e-1', inputs: { name: 'Ada' } });
    const [createdEvent] = await usual.store.readStream(executionStreamId('e-1'));
    const sent = intentsOf(createdEvent!, topics).filter((i) => i.topic === topics.commands).map((i) => i.message.value as ExecutionCommand);
    expect(sent.map((c) => c.type)).toEqual(['AdvanceExecution']);
    expect(await usual.handler.handle([{ type: 'AdvanceExecution', executionId: 'e-1', now: NOW }])).toEqual([]);

    expect(await stored(fused.store, 'e-1')).toEqual(await stored(usual.store, 'e-1'));
    // A redelivered AdvanceExecution (after a crash of the relay) decides nothing more.
    expect(await fused.handler.handle([{ type: 'AdvanceExecution', executionId: 'e-1', now: NOW }])).toEqual([]);
    expect(await stored(fused.store, 'e-1')).toEqual(await stored(usual.store, 'e-1'));
  });

  it('hands the caller the ended execution exactly as the stored events fold (a webhook with ?wait=true answers with it), and only for a new execution', async () => {
    const { store, deps } = await setup(true);
    const started = await createExecution(deps, { namespace: 'benchmarks', flowId: 'benchmark01', executionId: 'e-2', inputs: { name: 'Ada' } });
    expect(started.afterFirstStep?.state).toBe('SUCCESS');
    // What any reader folds from the log (the read model, GET /executions/{id}) after a JSON round trip.
    const folded = await new ExecutionRepository(store).load('e-2');
    expect(JSON.parse(JSON.stringify(started.afterFirstStep))).toEqual(JSON.parse(JSON.stringify(folded)));

    const limited = await createExecution(deps, { namespace: 'benchmarks', flowId: 'limited', executionId: 'l-2' });
    expect(limited.afterFirstStep).toBeUndefined();
    const repeat = await createExecution(deps, { namespace: 'benchmarks', flowId: 'benchmark01', executionId: 'e-2', inputs: { name: 'Ada' } });
    expect(repeat).toMatchObject({ created: false });
    expect(repeat.afterFirstStep).toBeUndefined();
  });

  it('leaves a flow with a concurrency limit to the usual way (its slot is taken by the executor), and an idempotent repeat writes nothing', async () => {
    const { store, deps } = await setup(true);
    await createExecution(deps, { namespace: 'benchmarks', flowId: 'limited', executionId: 'l-1' });
    expect((await store.readStream(executionStreamId('l-1'))).map((e) => e.type)).toEqual(['ExecutionCreated']);

    await createExecution(deps, { namespace: 'benchmarks', flowId: 'benchmark01', idempotencyKey: 'k' });
    const before = (await store.readAll()).length;
    const again = await createExecution(deps, { namespace: 'benchmarks', flowId: 'benchmark01', idempotencyKey: 'k' });
    expect(again.created).toBe(false);
    expect((await store.readAll()).length).toBe(before);
  });

  it('is the same write in a process without an executor (the distributed gateway): creation, start and local tasks in one append, the events the executor would write, ended for a flow of local tasks', async () => {
    const own = await setup('own');
    const started = await createExecution(own.deps, { namespace: 'benchmarks', flowId: 'benchmark01', executionId: 'e-3', inputs: { name: 'Ada' } });
    expect(started.execution.state).toBe('CREATED');
    expect(started.afterFirstStep?.state).toBe('SUCCESS');
    const events = await own.store.readStream(executionStreamId('e-3'));
    expect(events.at(-1)!.type).toBe('ExecutionSucceeded');
    expect(intentsOf(events[0]!, topics).filter((i) => i.topic === topics.commands)).toEqual([]);
    // One append: the store was written once (the flows' deploys aside).
    expect(new Set(events.map((e) => e.position)).size).toBe(events.length);

    const usual = await setup(false);
    await createExecution(usual.deps, { namespace: 'benchmarks', flowId: 'benchmark01', executionId: 'e-3', inputs: { name: 'Ada' } });
    expect(await usual.handler.handle([{ type: 'AdvanceExecution', executionId: 'e-3', now: NOW }])).toEqual([]);
    expect(await stored(own.store, 'e-3')).toEqual(await stored(usual.store, 'e-3'));
    // The executor, which has not seen the execution, reads it back and decides nothing more for a redelivered AdvanceExecution.
    expect(await own.handler.handle([{ type: 'AdvanceExecution', executionId: 'e-3', now: NOW }])).toEqual([]);
    expect(await stored(own.store, 'e-3')).toEqual(await stored(usual.store, 'e-3'));

    // A flow with a concurrency limit still goes the usual way (the executor takes its slot).
    await createExecution(own.deps, { namespace: 'benchmarks', flowId: 'limited', executionId: 'l-3' });
    expect((await own.store.readStream(executionStreamId('l-3'))).map((e) => e.type)).toEqual(['ExecutionCreated']);
  });

  it('prefers the executor of the process when one is bound (it keeps the state it decided)', async () => {
    const local = new LocalFirstDecision();
    const asked: string[] = [];
    const stub = (name: string) => ({ decideFirst: async () => { asked.push(name); return undefined; } });
    const first = boundOr(local, stub('own'));
    await first.decideFirst({ state: 'CREATED' } as never);
    local.bind(stub('executor'));
    await first.decideFirst({ state: 'CREATED' } as never);
    local.bind(undefined);
    await first.decideFirst({ state: 'CREATED' } as never);
    expect(asked).toEqual(['own', 'executor', 'own']);
  });

  it('leaves the log lines of a start that ended in its own append to the projection (LOG_LINES_WITH_ROWS), and to the relay when a worker or a failure may write lines of the execution', async () => {
    const { store, deps } = await setup('own');
    const logIntents = async (id: string) => (await store.readStream(executionStreamId(id))).flatMap((e) => intentsOf(e, topics)).filter((i) => i.topic === topics.logs).map((i) => (i.message.value as { message: string }).message);
    const marked = async (id: string) => (await store.readStream(executionStreamId(id))).filter((e) => logLinesWithRows(e)).map((e) => e.type);

    await createExecution(deps, { namespace: 'benchmarks', flowId: 'benchmark01', executionId: 'e-4', inputs: { name: 'Ada' } });
    expect(await marked('e-4')).toEqual(['TaskRunCreated']);
    expect(await logIntents('e-4')).toEqual([]);

    // A worker task follows: the worker writes lines of this execution too, so all of them keep the relay's path.
    await deployFlow(deps, 'id: mixed\nnamespace: benchmarks\ntasks:\n  - { id: a, type: io.kestra.plugin.core.log.Log, message: first }\n  - { id: b, type: Echo, format: second }\n');
    await createExecution(deps, { namespace: 'benchmarks', flowId: 'mixed', executionId: 'm-4' });
    expect(await marked('m-4')).toEqual([]);
    expect(await logIntents('m-4')).toEqual(['first']);

    // A local task that fails: its ERROR line is the relay's (it looks the task id up), and so is every other line of it.
    await deployFlow(deps, 'id: failing\nnamespace: benchmarks\ntasks:\n  - { id: a, type: io.kestra.plugin.core.log.Log, message: before }\n  - { id: b, type: io.kestra.plugin.core.log.Log, message: "{{ nope.missing }}" }\n');
    const failing = await createExecution(deps, { namespace: 'benchmarks', flowId: 'failing', executionId: 'f-4' });
    expect(failing.afterFirstStep?.state).toBe('FAILED');
    expect(await marked('f-4')).toEqual([]);
    expect((await logIntents('f-4'))[0]).toBe('before');
  });
});
