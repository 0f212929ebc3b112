import { CORE_TASK_CATALOG, flowStreamId } from '@chronicle/domain';
import type { EventStore, ReadStreamOptions, SubscribeOptions, SubscriptionCallbacks, SubscriptionHandler } from '@chronicle/event-store';
import { InMemoryEventStore } from '@chronicle/event-store/memory';
import { BENCHMARK01_FLOW } from '@chronicle/testing';
import { describe, expect, it, vi } from 'vitest';
import { deployFlow } from './deploy-flow.js';
import { changeFlowLifecycle } from './flow-lifecycle.js';
import { FlowRepository } from './flow-repository.js';

const NOW = '2025-01-01T00:00:00.000Z';
const clock = { now: () => NOW };
const CHANGED = BENCHMARK01_FLOW.replace('defaults: World', 'defaults: Chronicle');
const STREAM = flowStreamId('benchmarks', 'benchmark01');

/**
 * The in-memory store, counting reads of the flow stream, whose subscriptions' deliveries can be
 * held back: a change then reaches a repository only through what its own process did.
 */
function countingStore() {
  const inner = new InMemoryEventStore();
  let flowReads = 0;
  let held: Promise<void> = Promise.resolve();
  let release = () => undefined as void;
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      if (property === 'readStream') {
        return (streamId: string, options?: ReadStreamOptions) => {
          if (streamId === STREAM) flowReads++;
          return target.readStream(streamId, options);
        };
      }
      if (property === 'subscribeToAll') {
        return (options: SubscribeOptions, handler: SubscriptionHandler, callbacks?: SubscriptionCallbacks) =>
          target.subscribeToAll(options, async (events) => {
            await held;
            await handler(events);
          }, callbacks);
      }
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  }) as EventStore;
  return {
    store,
    reads: () => flowReads,
    hold: () => {
      held = new Promise<void>((resolve) => (release = resolve));
    },
    release: () => release(),
  };
}

/** Polls until a call is answered without reading the log: the repository follows the flow streams. */
async function untilKept(flows: FlowRepository, reads: () => number): Promise<void> {
  await vi.waitFor(async () => {
    const before = reads();
    await flows.cachedHead('benchmarks', 'benchmark01');
    expect(reads()).toBe(before);
  }, { timeout: 30_000, interval: 5 });
}

describe('FlowRepository.cachedHead', { timeout: 60_000 }, () => {
  it('answers repeated starts from memory once it follows the flow streams, without reading the log', async () => {
    const { store, reads } = countingStore();
    const flows = new FlowRepository(store, CORE_TASK_CATALOG);
    await deployFlow({ store, flows, clock }, BENCHMARK01_FLOW);
    await untilKept(flows, reads);
    const before = reads();
    for (let i = 0; i < 5; i++) expect((await flows.cachedHead('benchmarks', 'benchmark01'))?.latest.revision).toBe(1);
    expect(reads()).toBe(before);
    await flows.close();
  });

  it('answers the new revision right after a deploy through it, and the new status after disable and delete', async () => {
    const { store, reads, hold, release } = countingStore();
    const flows = new FlowRepository(store, CORE_TASK_CATALOG);
    await deployFlow({ store, flows, clock }, BENCHMARK01_FLOW);
    await untilKept(flows, reads);
    // The subscription delivers nothing from here on: only the use cases' own forget can tell the cache.
    hold();
    await deployFlow({ store, flows, clock }, CHANGED);
    expect((await flows.cachedHead('benchmarks', 'benchmark01'))?.latest.revision).toBe(2);
    await changeFlowLifecycle({ store, flows, clock }, 'benchmarks', 'benchmark01', 'disable');
    expect((await flows.cachedHead('benchmarks', 'benchmark01'))?.status.disabled).toBe(true);
    await changeFlowLifecycle({ store, flows, clock }, 'benchmarks', 'benchmark01', 'delete');
    expect((await flows.cachedHead('benchmarks', 'benchmark01'))?.status.deleted).toBe(true);
    release();
    await flows.close();
  });

  it("learns another process's deploy from the log (the other repository shares only the store)", async () => {
    const { store, reads } = countingStore();
    const here = new FlowRepository(store, CORE_TASK_CATALOG);
    const elsewhere = new FlowRepository(store, CORE_TASK_CATALOG);
    await deployFlow({ store, flows: elsewhere, clock }, BENCHMARK01_FLOW);
    await untilKept(here, reads);
    await deployFlow({ store, flows: elsewhere, clock }, CHANGED);
    await vi.waitFor(async () => expect((await here.cachedHead('benchmarks', 'benchmark01'))?.latest.revision).toBe(2), { timeout: 30_000, interval: 5 });
    await changeFlowLifecycle({ store, flows: elsewhere, clock }, 'benchmarks', 'benchmark01', 'disable');
    await vi.waitFor(async () => expect((await here.cachedHead('benchmarks', 'benchmark01'))?.status.disabled).toBe(true), { timeout: 30_000, interval: 5 });
    await here.close();
    await elsewhere.close();
  });

  it('keeps nothing while it cannot follow the flow streams: every start reads the log', async () => {
    const { store, reads } = countingStore();
    await deployFlow({ store, flows: new FlowRepository(store, CORE_TASK_CATALOG), clock }, BENCHMARK01_FLOW);
    const broken = new Proxy(store, {
      get: (target, property, receiver) =>
        property === 'headPosition' ? () => Promise.reject(new Error('store unreachable')) : Reflect.get(target, property, receiver) as unknown,
    });
    const flows = new FlowRepository(broken, CORE_TASK_CATALOG);
    for (let i = 1; i <= 5; i++) {
      const before = reads();
      expect((await flows.cachedHead('benchmarks', 'benchmark01'))?.latest.revision).toBe(1);
      expect(reads()).toBe(before + 1);
    }
    await flows.close();
  });
});
