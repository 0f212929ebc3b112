import { CORE_TASK_CATALOG, executionStreamId, InputValidationError } from '@chronicle/domain';
import { InMemoryEventStore } from '@chronicle/event-store/memory';
import { BENCHMARK01_FLOW } from '@chronicle/testing';
import { describe, expect, it } from 'vitest';
import { createExecution } from './create-execution.js';
import { deployFlow } from './deploy-flow.js';
import { FlowNotFoundError } from './errors.js';
import { ExecutionRepository } from './execution-repository.js';
import { FlowRepository } from './flow-repository.js';

const NOW = '2025-01-01T00:00:00.000Z';
const TYPED_FLOW = `id: typed
namespace: company.team
labels:
  team: data
inputs:
  - id: count
    type: INT
  - id: flag
    type: BOOLEAN
    defaults: true
  - id: name
    type: STRING
    required: false
tasks:
  - id: a
    type: Log
    message: "{{ inputs.count }}"
`;

async function setup() {
  const store = new InMemoryEventStore();
  const deps = { store, flows: new FlowRepository(store, CORE_TASK_CATALOG), executions: new ExecutionRepository(store), clock: { now: () => NOW } };
  await deployFlow(deps, TYPED_FLOW);
  return { store, deps };
}

const executionEvents = async (store: InMemoryEventStore) =>
  (await store.readAll()).filter((e) => e.streamId.startsWith('execution-'));

describe('createExecution', () => {
  it('appends ExecutionCreated with typed inputs, defaults and labels to a new execution stream', async () => {
    const { store, deps } = await setup();

    const { execution, created, position } = await createExecution(deps, {
      namespace: 'company.team', flowId: 'typed', inputs: { count: '42', extra: 'dropped' }, labels: { env: 'test' }, actor: 'bob',
    });

    expect(created).toBe(true);
    expect(execution).toMatchObject({ namespace: 'company.team', flowId: 'typed', flowRevision: 1, state: 'CREATED', originalId: execution.id });
    const events = await store.readStream(executionStreamId(execution.id));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'ExecutionCreated',
      position,
      data: {
        executionId: execution.id,
        flowRevision: 1,
        inputs: { count: 42, flag: true, name: null },
        at: NOW,
      },
      metadata: { correlationId: execution.id, actor: 'bob', occurredAt: NOW },
    });
    // Kestra adds `system.correlationId` = the execution's id to every new execution
    // (core/src/test/java/io/kestra/plugin/core/flow/RuntimeLabelsTest.java).
    expect((events[0]!.data as { labels: unknown }).labels).toEqual({ team: 'data', env: 'test', 'system.correlationId': execution.id });
  });

  it('gives every execution without an idempotency key its own id', async () => {
    const { store, deps } = await setup();
    const a = await createExecution(deps, { namespace: 'company.team', flowId: 'typed', inputs: { count: 1 } });
    const b = await createExecution(deps, { namespace: 'company.team', flowId: 'typed', inputs: { count: 1 } });
    expect(a.execution.id).not.toBe(b.execution.id);
    expect(await executionEvents(store)).toHaveLength(2);
  });

  it('throws FlowNotFoundError for a flow that was never deployed, or a revision it does not have', async () => {
    const { store, deps } = await setup();

    await expect(createExecution(deps, { namespace: 'nope', flowId: 'missing' })).rejects.toBeInstanceOf(FlowNotFoundError);
    const missingRevision = await createExecution(deps, { namespace: 'company.team', flowId: 'typed', revision: 7, inputs: { count: 1 } }).catch((e: unknown) => e);
    expect(missingRevision).toBeInstanceOf(FlowNotFoundError);
    expect(missingRevision).toMatchObject({ code: 'FLOW_NOT_FOUND', revision: 7 });
    expect(await executionEvents(store)).toEqual([]);
  });

  it('rejects bad inputs with InputValidationError naming each one, and writes nothing', async () => {
    const { store, deps } = await setup();

    const error = await createExecution(deps, { namespace: 'company.team', flowId: 'typed', inputs: { count: 'many', flag: 'maybe' } }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(InputValidationError);
    expect((error as InputValidationError).issues.map((i) => i.input).sort()).toEqual(['count', 'flag']);
    const missing = await createExecution(deps, { namespace: 'company.team', flowId: 'typed', inputs: {} }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(InputValidationError);
    expect((missing as Error).message).toMatch(/count/);
    expect(await executionEvents(store)).toEqual([]);
  });

  it('creates an execution once per idempotency key: the second call returns it with created false', async () => {
    const { store, deps } = await setup();
    const request = { namespace: 'company.team', flowId: 'typed', inputs: { count: 1 }, idempotencyKey: 'order-17' };

    const first = await createExecution(deps, request);
    const second = await createExecution(deps, { ...request, inputs: { count: 2 } });

    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.position).toBeUndefined();
    expect(second.execution.id).toBe(first.execution.id);
    expect(second.execution.inputs).toEqual({ count: 1, flag: true, name: null });
    const events = await executionEvents(store);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'ExecutionCreated', streamId: executionStreamId(first.execution.id) });
  });

  it('creates one execution when the same idempotency key arrives twice at once', async () => {
    const { store, deps } = await setup();
    const request = { namespace: 'company.team', flowId: 'typed', inputs: { count: 1 }, idempotencyKey: 'k' };

    const results = await Promise.all([createExecution(deps, request), createExecution(deps, request)]);

    expect(results.map((r) => r.created).sort()).toEqual([false, true]);
    expect(results[0].execution.id).toBe(results[1].execution.id);
    expect(await executionEvents(store)).toHaveLength(1);
  });

  it('keeps idempotency keys of different flows apart', async () => {
    const { deps } = await setup();
    await deployFlow(deps, BENCHMARK01_FLOW);
    const a = await createExecution(deps, { namespace: 'company.team', flowId: 'typed', inputs: { count: 1 }, idempotencyKey: 'same' });
    const b = await createExecution(deps, { namespace: 'benchmarks', flowId: 'benchmark01', idempotencyKey: 'same' });
    expect(b.created).toBe(true);
    expect(b.execution.id).not.toBe(a.execution.id);
  });

  it('runs the revision asked for, and the latest when none is given', async () => {
    const { deps } = await setup();
    await deployFlow(deps, TYPED_FLOW.replace('defaults: true', 'defaults: false'));

    const pinned = await createExecution(deps, { namespace: 'company.team', flowId: 'typed', revision: 1, inputs: { count: 1 } });
    const latest = await createExecution(deps, { namespace: 'company.team', flowId: 'typed', inputs: { count: 1 } });

    expect(pinned.execution).toMatchObject({ flowRevision: 1, inputs: { flag: true } });
    expect(latest.execution).toMatchObject({ flowRevision: 2, inputs: { flag: false } });
  });

  it('refuses a flow whose YAML says disabled: true, like one disabled through the API, and writes nothing', async () => {
    const { store, deps } = await setup();
    await deployFlow(deps, `id: off\nnamespace: company.team\ndisabled: true\ntasks:\n  - { id: a, type: Log, message: a }\n`);
    await expect(createExecution(deps, { namespace: 'company.team', flowId: 'off' })).rejects.toMatchObject({ code: 'FLOW_DISABLED' });
    expect(await executionEvents(store)).toEqual([]);
  });
});

describe('createExecution: run options and development drafts (issue 15)', () => {
  it('refuses a bad option naming the field and writes nothing', async () => {
    const { store, deps } = await setup();
    await expect(createExecution(deps, { namespace: 'company.team', flowId: 'typed', inputs: { count: 1 }, options: { priority: -1 } })).rejects.toMatchObject({ code: 'RUN_OPTION_INVALID', field: 'priority' });
    await expect(createExecution(deps, { namespace: 'company.team', flowId: 'typed', inputs: { count: 1 }, options: { scheduledAt: '2024-01-01T00:00:00Z' } })).rejects.toMatchObject({ field: 'scheduledAt' });
    expect(await executionEvents(store)).toEqual([]);
  });

  it('runs a draft of a flow that was never deployed in DEVELOPMENT mode, and only there', async () => {
    const { deps } = await setup();
    const draft = 'id: fresh\nnamespace: company.team\ntasks:\n  - { id: a, type: Log, message: hi }\n';
    const { execution } = await createExecution(deps, { namespace: 'company.team', flowId: 'fresh', draftSource: draft, options: { mode: 'DEVELOPMENT' } });
    expect(execution).toMatchObject({ flowRevision: 0, options: { mode: 'DEVELOPMENT' }, draftFlow: { id: 'fresh', revision: 0 } });
    await expect(createExecution(deps, { namespace: 'company.team', flowId: 'fresh', draftSource: draft })).rejects.toMatchObject({ field: 'mode' });
    await expect(createExecution(deps, { namespace: 'company.team', flowId: 'other', draftSource: draft, options: { mode: 'DEVELOPMENT' } })).rejects.toThrow(/declares company.team.fresh, not company.team.other/);
    const secret = 'id: fresh\nnamespace: company.team\ninputs:\n  - { id: pw, type: SECRET }\ntasks:\n  - { id: a, type: Log, message: hi }\n';
    await expect(createExecution(deps, { namespace: 'company.team', flowId: 'fresh', draftSource: secret, inputs: { pw: 'x' }, options: { mode: 'DEVELOPMENT' } })).rejects.toThrow(/SECRET input pw/);
  });
});
