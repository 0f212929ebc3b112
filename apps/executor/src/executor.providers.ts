import { randomUUID } from 'node:crypto';
import { LOG_BARRIER_CHANNEL, logBarrierMessage, toDomainEvent } from '@chronicle/contracts';
import type { Provider } from '@nestjs/common';
import { CLOCK, CONFIG, EVENT_STORE, EXECUTION_ADMIN, EXECUTION_LOGS, FLOWS, INTERNAL_STORAGE, KV_STORE, MESSAGE_BUS, SECRETS, TOPICS, TRIGGER_STATES } from '@chronicle/composition';
import { executionStreamId, parseNamespaceAllow, parseTriggers, type JsonObject } from '@chronicle/domain';
import type { EventStore } from '@chronicle/event-store';
import type { MessageBus, Topics } from '@chronicle/messaging';
import type { ChronicleConfig, Clock, Logger } from '@chronicle/runtime';
import type { ExecutionAdmin, ExecutionLogs, FlowRepository, InternalStorage, KeyValueStore, Secrets, TriggerStates } from '@chronicle/use-cases';
import { INSTANCE_ID, LOGGER, TASK_SERVICES } from './executor.tokens.js';
import type { TaskServices } from '@chronicle/tasks';

/** How long log.Fetch waits for the log projection to store the lines before it (it then reads what is there). */
const LOG_BARRIER_WAIT_MS = 30_000;

/**
 * The executor's own bindings: its logger and instance id, and its worker's services gathered from
 * the platform's ports (PlatformModule binds those by their tokens).
 */
export function executorProviders(logger: Logger, instanceId: string): Provider[] {
  return [
    { provide: LOGGER, useValue: logger },
    { provide: INSTANCE_ID, useValue: instanceId },
    {
      provide: TASK_SERVICES,
      inject: [INTERNAL_STORAGE, KV_STORE, SECRETS, EXECUTION_LOGS, EXECUTION_ADMIN, MESSAGE_BUS, TOPICS, CLOCK, CONFIG, TRIGGER_STATES, FLOWS, EVENT_STORE],
      useFactory: (
        storage: InternalStorage, kv: KeyValueStore, secrets: Secrets, logs: ExecutionLogs, executions: ExecutionAdmin,
        bus: MessageBus, topics: Topics, clock: Clock, config: ChronicleConfig, states: TriggerStates, flows: FlowRepository, store: EventStore,
      ): TaskServices => ({
        storage, kv, secrets, logs, executions, now: () => clock.now(), namespaceAllow: parseNamespaceAllow(config.namespaceAllow),
        triggers: triggerTogglesOf(flows, states),
        logsStored: (executionId) => {
          const barrier = randomUUID();
          const publish = () => bus.publish(topics.logs, [{ key: executionId, value: logBarrierMessage({ executionId, barrier }) }]);
          return logs.afterBarrier(LOG_BARRIER_CHANNEL, barrier, publish, LOG_BARRIER_WAIT_MS);
        },
        parentOf: async (executionId) => parentOfCreated((await store.readStream(executionStreamId(executionId), { maxCount: 1 }))[0]?.data as JsonObject | undefined),
        secretValuesOf: async (executionId) => {
          const [created] = await store.readStream(executionStreamId(executionId), { maxCount: 1 });
          return created ? secretInputValues(toDomainEvent(created).data as CreatedData, flows) : [];
        },
      }),
    },
  ];
}

/** trigger.Toggle: the flow's latest revision must declare the trigger; the state store tells every scheduler. */
const triggerTogglesOf = (flows: FlowRepository, states: TriggerStates): TaskServices['triggers'] => ({
  async setEnabled(key, enabled) {
    const head = await flows.head(key.namespace, key.flowId);
    if (!head || head.status.deleted) return 'no-flow';
    if (!parseTriggers(head.latest.definition.triggers).triggers.some((t) => t.id === key.triggerId)) return 'no-trigger';
    await states.setEnabled(key, enabled);
    return 'done';
  },
});

/** The parent a Subflow or ForEachItem child was created with (its ExecutionCreated: parent, trigger.variables). */
const parentOfCreated = (data: JsonObject | undefined): { namespace: string; flowId: string; executionId: string } | undefined => {
  const parent = data?.parent as { executionId?: unknown } | undefined;
  const variables = (data?.trigger as { variables?: { namespace?: unknown; flowId?: unknown } } | undefined)?.variables;
  if (typeof parent?.executionId !== 'string' || typeof variables?.namespace !== 'string' || typeof variables.flowId !== 'string') return undefined;
  return { namespace: variables.namespace, flowId: variables.flowId, executionId: parent.executionId };
};

type CreatedData = { namespace?: string; flowId?: string; flowRevision?: number; inputs?: JsonObject };

/**
 * The values of an execution's SECRET inputs (by its flow revision's definition; every input's when
 * that revision is unknown), longest first: log.Fetch hides them in the lines it copies out.
 */
async function secretInputValues(data: CreatedData, flows: FlowRepository): Promise<string[]> {
  const inputs = data.inputs ?? {};
  if (Object.keys(inputs).length === 0 || typeof data.namespace !== 'string' || typeof data.flowId !== 'string') return [];
  const flow = typeof data.flowRevision === 'number' ? await flows.revision(data.namespace, data.flowId, data.flowRevision) : undefined;
  const secret = new Set(flow ? flow.definition.inputs.filter((i) => i.secret).map((i) => i.id) : Object.keys(inputs));
  return Object.entries(inputs)
    .filter(([id, value]) => secret.has(id) && value !== null && value !== undefined)
    .map(([, value]) => (typeof value === 'string' ? value : JSON.stringify(value)))
    .filter((text) => text.length > 0)
    .sort((a, b) => b.length - a.length);
}
