import { Controller, Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EVENT_STORE } from '@chronicle/composition';
import { isTerminal } from '@chronicle/domain';
import type { EventStore } from '@chronicle/event-store';
import type { BusEventExtras } from '@chronicle/messaging/nest';
import { EXECUTION_PROJECTION, type ReadModel } from '@chronicle/read-model';
import { parseUpdate, type ReadModelUpdate } from '@chronicle/contracts';
import { executionsEnded, executionsStarted, namespaceLabel, registerProjectionLag, type Unregister } from '@chronicle/runtime';

/** The read model the projection writes (`ReadModel`). */
export const READ_MODEL = Symbol('PROJECTION_READ_MODEL');
/** One group for every projection replica: each committed update is counted once. */
export const METRICS_GROUP = 'chronicle-projection-metrics';
/** How late the execution counters may see an update. */
export const METRICS_DELAY_MS = 500;
/** Lag is counted up to this many events: an exact count of a huge backlog costs more than it tells. */
const LAG_COUNT_LIMIT = 10_000;
const PROJECTED = { streamPrefixes: ['execution-', 'flow-'] };
const STATE_CHANGES = new Set(['ExecutionStateChanged', 'ExecutionSucceeded', 'ExecutionFailed']);

/**
 * Executions started and ended (`chronicle_executions_started_total`, `chronicle_executions_ended_total`),
 * counted from the updates the projector publishes after each commit: an `@EventPattern` handler of the
 * bus's NestJS transport (ChronicleBusTransport), in one group for every projection replica.
 */
@Controller()
export class ProjectionMetricsController {
  // Counters need no update at once: one fetch per half second carries every update of it (at one
  // fetch per update, this group was a fifth of the broker's requests per execution). No longer than
  // the other consumers' idle wait: a stopping consumer waits for its fetch in flight.
  @EventPattern('updates', { groupId: METRICS_GROUP, fromBeginning: false, maxDelayMs: METRICS_DELAY_MS } satisfies BusEventExtras)
  count(@Payload() update: unknown): void {
    countExecutionUpdate(parseUpdate(update));
  }
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
