import { randomUUID } from 'node:crypto';
import { LOG_BARRIER_CHANNEL, logBarrierMessage } from '@chronicle/contracts';
import type { Provider } from '@nestjs/common';
import { CLOCK, CONFIG, EXECUTION_ADMIN, EXECUTION_LOGS, INTERNAL_STORAGE, KV_STORE, MESSAGE_BUS, SECRETS, TOPICS } from '@chronicle/composition';
import { parseNamespaceAllow } from '@chronicle/domain';
import type { MessageBus, Topics } from '@chronicle/messaging';
import type { ChronicleConfig, Clock, Logger } from '@chronicle/runtime';
import type { ExecutionAdmin, ExecutionLogs, InternalStorage, KeyValueStore, Secrets } from '@chronicle/use-cases';
import { INSTANCE_ID, LOGGER, TASK_SERVICES } from './executor.tokens.js';
import type { TaskServices } from './worker/task-services.types.js';

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
      inject: [INTERNAL_STORAGE, KV_STORE, SECRETS, EXECUTION_LOGS, EXECUTION_ADMIN, MESSAGE_BUS, TOPICS, CLOCK, CONFIG],
      useFactory: (
        storage: InternalStorage, kv: KeyValueStore, secrets: Secrets, logs: ExecutionLogs, executions: ExecutionAdmin,
        bus: MessageBus, topics: Topics, clock: Clock, config: ChronicleConfig,
      ): TaskServices => ({
        storage, kv, secrets, logs, executions, now: () => clock.now(), namespaceAllow: parseNamespaceAllow(config.namespaceAllow),
        logsStored: (executionId) => {
          const barrier = randomUUID();
          const publish = () => bus.publish(topics.logs, [{ key: executionId, value: logBarrierMessage({ executionId, barrier }) }]);
          return logs.afterBarrier(LOG_BARRIER_CHANNEL, barrier, publish, LOG_BARRIER_WAIT_MS);
        },
      }),
    },
  ];
}
