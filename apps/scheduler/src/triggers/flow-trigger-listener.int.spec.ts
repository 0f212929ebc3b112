import { CORE_TASK_CATALOG } from '@chronicle/domain';
import type { EventStore } from '@chronicle/event-store';
import { PostgresEventStore } from '@chronicle/event-store/postgres';
import { createLogger, InFlightLimit, systemClock } from '@chronicle/runtime';
import { PostgresCheckpointStore, TriggerStateStore } from '@chronicle/stores';
import { createTestDatabase, type TestDatabase } from '@chronicle/testing';
import { changeFlowLifecycle, createExecution, deployFlow, ExecutionRepository, FirstStepDecider, FlowRepository, FlowTriggersIndex, type CreateExecutionDeps } from '@chronicle/use-cases';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FlowStreamFollower } from './flow-stream-follower.js';
import { FlowTriggerListener } from './flow-trigger-listener.js';

const logger = createLogger('flow-trigger-listener-test', 'silent');
const NS = 'io.test.listener';
const UPSTREAM = `id: up\nnamespace: ${NS}\ntasks:\n  - { id: hello, type: io.kestra.plugin.core.log.Log, message: hi }\n`;
const DOWNSTREAM = `id: down
namespace: ${NS}
tasks:
  - { id: hello, type: io.kestra.plugin.core.log.Log, message: triggered }
triggers:
  - id: after-up
    type: io.kestra.plugin.core.trigger.Flow
    conditions:
      - { type: io.kestra.plugin.core.condition.ExecutionFlow, namespace: ${NS}, flowId: up }
`;

let db: TestDatabase;
let pool: pg.Pool;
let store: PostgresEventStore;
let deps: CreateExecutionDeps;
const cleanup: Array<() => Promise<void>> = [];

beforeAll(async () => {
  db = await createTestDatabase('flow_trigger_listener');
  pool = new pg.Pool({ connectionString: db.url, max: 6 });
  store = new PostgresEventStore({ pool });
  await store.ensureSchema();
  await new PostgresCheckpointStore(pool).ensureSchema();
  await new TriggerStateStore(pool).ensureSchema();
  const flows = new FlowRepository(store, CORE_TASK_CATALOG);
  // Each execution of `up` ends in its creation's append (its only task is local), as benchmark01's does.
  deps = { store, flows, executions: new ExecutionRepository(store), clock: systemClock, firstDecision: new FirstStepDecider(flows, systemClock, { localTasks: true }) };
  await deployFlow(deps, UPSTREAM);
});
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});
afterAll(async () => {
  await store.close();
  await pool.end();
  await db.drop();
});

/** The store as the listener sees it, counting the log subscriptions it opens (each one reads the log after every append). */
function countingSubscriptions(target: EventStore): { store: EventStore; opened: () => number } {
  let opened = 0;
  const counting = new Proxy(target, {
    get(t, property) {
      if (property === 'subscribeToAll') return (...args: Parameters<EventStore['subscribeToAll']>) => (opened += 1, t.subscribeToAll(...args));
      const value = Reflect.get(t, property, t) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(t) : value;
    },
  });
  return { store: counting, opened: () => opened };
}

/** The scheduler's pair, wired as TriggersService wires them: the index follows the flows, the listener follows the log while something wants it. */
async function startScheduler(inFlight?: InFlightLimit): Promise<{ listener: FlowTriggerListener; opened: () => number }> {
  const index = new FlowTriggersIndex();
  const counted = countingSubscriptions(store);
  const listener = new FlowTriggerListener(
    counted.store, index, new TriggerStateStore(pool), new PostgresCheckpointStore(pool), { ...deps, store }, logger, [],
    (id) => inFlight?.ended(id), () => (inFlight?.inFlight ?? 0) > 0,
  );
  const follower = new FlowStreamFollower(store, index, CORE_TASK_CATALOG, logger, (position) => listener.indexChanged(position));
  await follower.start();
  await listener.start();
  cleanup.push(async () => {
    await listener.stop();
    await follower.stop();
  });
  return { listener, opened: counted.opened };
}

const runUpstream = async (n: number): Promise<string[]> => {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const { execution, afterFirstStep } = await createExecution(deps, { namespace: NS, flowId: 'up' });
    expect(afterFirstStep?.state).toBe('SUCCESS');
    ids.push(execution.id);
  }
  return ids;
};

/** The upstream execution ids that started a `down` execution. */
async function triggeredBy(): Promise<string[]> {
  const created = await store.readAll({ filter: { streamPrefixes: ['execution-'], eventTypes: ['ExecutionCreated'] } });
  return created
    .map((e) => e.data as { flowId: string; trigger?: { variables?: { executionId?: string } } })
    .filter((d) => d.flowId === 'down')
    .map((d) => d.trigger?.variables?.executionId ?? '?');
}

describe('FlowTriggerListener over the Postgres log (real Postgres)', () => {
  it('reads no execution append while no trigger wants state changes; a Flow trigger deployed later fires for the ends after it only, and a restart keeps that', async () => {
    const first = await startScheduler();
    const before = await runUpstream(5);
    // Nothing declares a Flow trigger, a stopAfter or a Kafka trigger: the log is not followed at all.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(first.opened()).toBe(0);
    expect(first.listener.isFollowing).toBe(false);

    await deployFlow(deps, DOWNSTREAM);
    await vi.waitFor(() => expect(first.listener.isFollowing).toBe(true), { timeout: 10_000 });
    const [after] = await runUpstream(1);
    await vi.waitFor(async () => expect(await triggeredBy()).toEqual([after]), { timeout: 10_000 });
    expect(before).not.toContain(after);

    // A restart from the checkpoint fires nothing again (idempotent) and nothing for the ends before the trigger.
    await first.listener.stop();
    const second = await startScheduler();
    expect(second.listener.isFollowing).toBe(true);
    const [later] = await runUpstream(1);
    await vi.waitFor(async () => expect(await triggeredBy()).toEqual([after, later]), { timeout: 10_000 });
  });

  it("frees a Kafka trigger's admission slot at its execution's end, even one that ends in its creation's append, while no trigger wants state changes", async () => {
    await pool.query("DELETE FROM chronicle_checkpoints");
    const inFlight = new InFlightLimit({ max: 1, holdMs: 600_000 });
    // No Flow trigger here: the first test's `down` is deleted, so nothing but the slot wants an end.
    await changeFlowLifecycle(deps, NS, 'down', 'delete');
    const { listener } = await startScheduler(inFlight);
    expect(listener.isFollowing).toBe(false);

    // As KafkaTriggerConsumers.create does: the slot, then the listener told, then the start.
    const slot = await inFlight.acquire(1_000);
    await listener.expectEnd();
    const [id] = await runUpstream(1);
    slot.bind(id!);
    await vi.waitFor(() => expect(inFlight.inFlight).toBe(0), { timeout: 10_000 });
  });
});
