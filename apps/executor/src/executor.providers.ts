import { randomUUID } from 'node:crypto';
import { LOG_BARRIER_CHANNEL, logBarrierMessage } from '@chronicle/contracts';
import type { Provider } from '@nestjs/common';
import { platformPortProviders, type Platform } from '@chronicle/composition';
import type { Logger } from '@chronicle/runtime';
import { ConcurrencySlots, ExecutionAdminStore, ExecutionLogStore, LeaderLock, NamedLocks, TaskRunLeases, TriggerStateStore } from '@chronicle/stores';
import { parseNamespaceAllow, parseTriggers } from '@chronicle/domain';
import { CONCURRENCY_SLOTS, INSTANCE_ID, LEADERSHIP, LOGGER, NAMED_LOCKS, TASK_RUN_LEASES, TASK_SERVICES, type Leadership } from './executor.tokens.js';
import type { TaskServices } from './worker/task-services.types.js';

/**
 * The executor's composition: the platform's ports under their tokens, and the Postgres stores only
 * the executor uses, built here so that the services receive them ready (schemas ensured).
 */
export function executorProviders(platform: Platform, logger: Logger, instanceId: string): Provider[] {
  return [
    ...platformPortProviders(platform),
    { provide: LOGGER, useValue: logger },
    { provide: INSTANCE_ID, useValue: instanceId },
    {
      provide: CONCURRENCY_SLOTS,
      useFactory: async () => {
        const slots = new ConcurrencySlots(platform.pool);
        await slots.ensureSchema();
        return slots;
      },
    },
    {
      provide: TASK_RUN_LEASES,
      useFactory: async () => {
        const leases = new TaskRunLeases(platform.pool);
        await leases.ensureSchema();
        return leases;
      },
    },
    {
      provide: NAMED_LOCKS,
      useFactory: async () => {
        const locks = new NamedLocks(platform.pool);
        await locks.ensureSchema();
        return locks;
      },
    },
    {
      provide: TASK_SERVICES,
      useFactory: async () => {
        const states = new TriggerStateStore(platform.pool);
        await states.ensureSchema();
        return workerServicesOf(platform, states);
      },
    },
    { provide: LEADERSHIP, useValue: ((name, role) => new LeaderLock(platform.databaseUrl, name, logger, role)) satisfies Leadership },
  ];
}

/** A process's services for its worker: the platform's stores, the read model's logs, its clock. */
const workerServicesOf = (p: Platform, states: TriggerStateStore): TaskServices => {
  const logs = new ExecutionLogStore(p.pool);
  return {
    storage: p.storage, kv: p.kv, secrets: p.secrets, logs, now: () => p.clock.now(),
    executions: new ExecutionAdminStore(p.pool, p.store, p.storage), namespaceAllow: parseNamespaceAllow(p.config.namespaceAllow),
    triggers: triggerTogglesOf(p, states),
    logsStored: (executionId) => {
      const barrier = randomUUID();
      const publish = () => p.bus.publish(p.topics.logs, [{ key: executionId, value: logBarrierMessage({ executionId, barrier }) }]);
      return logs.afterBarrier(LOG_BARRIER_CHANNEL, barrier, publish, LOG_BARRIER_WAIT_MS);
    },
  };
};

/** How long log.Fetch waits for the log projection to store the lines before it (it then reads what is there). */
const LOG_BARRIER_WAIT_MS = 30_000;

/** trigger.Toggle: the flow's latest revision must declare the trigger; the state store tells every scheduler. */
const triggerTogglesOf = (p: Platform, states: TriggerStateStore): TaskServices['triggers'] => ({
  async setEnabled(key, enabled) {
    const head = await p.flows.head(key.namespace, key.flowId);
    if (!head || head.status.deleted) return 'no-flow';
    if (!parseTriggers(head.latest.definition.triggers).triggers.some((t) => t.id === key.triggerId)) return 'no-trigger';
    await states.setEnabled(key, enabled);
    return 'done';
  },
});
