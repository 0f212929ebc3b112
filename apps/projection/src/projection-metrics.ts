import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EVENT_STORE } from '@chronicle/composition';
import { isTerminal } from '@chronicle/domain';
import type { EventStore } from '@chronicle/event-store';
import type { BusMessage, MessageBus } from '@chronicle/messaging';
import { EXECUTION_PROJECTION, type ReadModel } from '@chronicle/read-model';
import type { ReadModelUpdate } from '@chronicle/contracts';
import { executionsEnded, executionsStarted, namespaceLabel, registerProjectionLag, type Unregister } from '@chronicle/runtime';

/** The read model the projection writes (`ReadModel`). */
export const READ_MODEL = Symbol('PROJECTION_READ_MODEL');
/** Lag is counted up to this many events: an exact count of a huge backlog costs more than it tells. */
const LAG_COUNT_LIMIT = 10_000;
const PROJECTED = { streamPrefixes: ['execution-', 'flow-'] };
const STATE_CHANGES = new Set(['ExecutionStateChanged', 'ExecutionSucceeded', 'ExecutionFailed']);

/**
 * Executions started and ended (`chronicle_executions_started_total`, `chronicle_executions_ended_total`),
 * counted from the updates the projectors of this process published on `updatesTopic`, once the
 * bus took them: each committed update is published by one replica, so each is counted once.
 * This used to be a consumer of `updates` in a group of the projection's own: every update went
 * to the broker and came back to the process that wrote it (a second fetch of each update, a
 * consumer fetching twice a second when idle, a decode and a schema parse of every message).
 */
export function countingPublishedUpdates(bus: MessageBus, updatesTopic: string): MessageBus {
  return new Proxy(bus, {
    get(target, property) {
      if (property !== 'publish') {
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      }
      return async (topic: string, messages: readonly BusMessage[]): Promise<void> => {
        await target.publish(topic, messages);
        if (topic !== updatesTopic) return;
        // Our own messages, built from the contract's types just before: nothing to parse.
        for (const message of messages) {
          const update = message.value as ReadModelUpdate | undefined;
          if (update?.kind === 'execution') countExecutionUpdate(update);
        }
      };
    },
  });
}

/**
 * The projection's lag behind the log (`chronicle_projection_lag_events`, `_seconds`), read from the
 * committed checkpoint when Prometheus scrapes.
 */
@Injectable()
export class ProjectionMetrics implements OnApplicationBootstrap, OnApplicationShutdown {
  private unregister?: Unregister;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore, @Inject(READ_MODEL) private readonly readModel: ReadModel) {}

  async onApplicationBootstrap(): Promise<void> {
    const { store, readModel } = this;
    this.unregister = registerProjectionLag(EXECUTION_PROJECTION, async () => {
      const position = (await readModel.queries.checkpoint(EXECUTION_PROJECTION)) ?? undefined;
      const backlog = await store.readAll({ after: position, maxCount: LAG_COUNT_LIMIT, filter: PROJECTED });
      const oldest = backlog[0];
      return { events: backlog.length, seconds: oldest ? Math.max(0, (Date.now() - Date.parse(oldest.recordedAt)) / 1000) : 0 };
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.unregister?.();
  }
}

/** An update is one state of one execution: created in it, or ended by it. */
export function countExecutionUpdate(update: ReadModelUpdate): void {
  if (update.kind !== 'execution') return;
  // Development runs are tests: they stay out of the productive metrics (issue 15).
  if (update.mode === 'DEVELOPMENT') return;
  // Without the namespace where namespace names are not public (CHRONICLE_METRICS_NAMESPACE_LABELS).
  const namespace = namespaceLabel(update.namespace);
  if (update.events.some((e) => e.type === 'ExecutionCreated')) executionsStarted.inc(namespace);
  const state = update.state;
  if (isTerminal(state) && update.events.some((e) => STATE_CHANGES.has(e.type))) executionsEnded.inc({ ...namespace, state });
}
