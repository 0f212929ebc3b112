import { endsExecution, executionIdOfStream, INTENT_EVENT_TYPES, intentsOf, isLoggedFailure, needsIntentContext, type IntentContext } from '@chronicle/use-cases';
import type { CheckpointStore } from '@chronicle/use-cases';
import { resilientSubscription } from '@chronicle/composition';
import type { EventStore, RecordedEvent, Subscription } from '@chronicle/event-store';
import type { BusMessage, MessageBus, Topics } from '@chronicle/messaging';
import type { Logger } from '@chronicle/runtime';
import { IntentContextCache } from './intent-context.cache.js';
import { TaskIdCache } from './task-id.cache.js';

export const RELAY_CHECKPOINT = 'executor-outbox-relay';

/** How often the relay on an in-memory bus looks whether the bus has settled. */
const SETTLE_CHECK_MS = 200;

/**
 * The stream is the outbox: this relay follows the log from its checkpoint and publishes
 * what each event says must be sent (start the execution, run a task, keep a timer, start a
 * child, kill an attempt, tell a parent its child ended). It saves the
 * checkpoint only after the bus acknowledged the batch, so a crash re-sends (consumers
 * are idempotent) and never loses. One relay is active at a time (see LeaderLock).
 */
export class OutboxRelay {
  private subscription?: Subscription;
  /** In-memory bus only: the position relayed but not yet checkpointed (see saveIfSettled). */
  private unsaved?: bigint;
  private settling?: NodeJS.Timeout;
  private readonly contexts: IntentContextCache;
  private readonly taskIds: TaskIdCache;

  constructor(
    private readonly store: EventStore,
    private readonly bus: MessageBus,
    private readonly topics: Topics,
    private readonly checkpoints: CheckpointStore,
    private readonly logger: Logger,
    /** Told of every event before its intents go out (the executor keeps new executions' state: see ExecutionCommandHandler.prime). */
    private readonly onEvent?: (event: RecordedEvent) => void,
  ) {
    this.contexts = new IntentContextCache(store);
    this.taskIds = new TaskIdCache(store);
  }

  async start(): Promise<void> {
    const after = await this.checkpoints.load(RELAY_CHECKPOINT);
    this.logger.info({ after: after?.toString() ?? 'start' }, 'outbox relay following the log');
    // A failed batch (the broker or Postgres down) is delivered again once they answer: the relay
    // waits through an outage instead of taking the executor down.
    this.subscription = resilientSubscription(
      this.store,
      { after, filter: { streamPrefixes: ['execution-'], eventTypes: [...INTENT_EVENT_TYPES] }, batchSize: 1000 },
      async (events) => {
        const byTopic = new Map<string, BusMessage[]>();
        for (const event of events) {
          this.contexts.observe(event);
          this.taskIds.observe(event);
          this.onEvent?.(event);
          const context = needsIntentContext(event) ? await this.contextOf(event) : {};
          for (const intent of intentsOf(event, this.topics, context)) {
            const list = byTopic.get(intent.topic) ?? [];
            list.push(intent.message);
            byTopic.set(intent.topic, list);
          }
          // What the caches hold is needed until the execution ends: memory stays flat however many have run.
          if (endsExecution(event)) this.forget(executionIdOfStream(event.streamId));
        }
        // An in-memory bus whose consumers lag makes the relay wait here (bounded memory); the log keeps the rest.
        await Promise.all([...byTopic].map(async ([topic, messages]) => {
          await this.bus.waitForRoom?.(topic);
          await this.bus.publish(topic, messages);
        }));
        const last = events[events.length - 1]!.position;
        if (this.bus.unhandled) {
          this.unsaved = last;
          await this.saveIfSettled();
        } else await this.checkpoints.save(RELAY_CHECKPOINT, last);
      },
      { logger: this.logger, name: 'outbox relay' },
    );
    if (this.bus.unhandled) this.settling = setInterval(() => void this.saveIfSettled().catch(() => undefined), SETTLE_CHECK_MS);
  }

  /**
   * A bus that keeps messages in memory loses what it holds when the process dies (SIGKILL): the
   * checkpoint moves past a batch only once every consumer handled everything on the bus. A
   * handler publishes what follows from its message before it returns (the worker's StartTaskRun),
   * so by then the effects are in the log or covered by a lease; after a crash the relay sends
   * again whatever it sent since (consumers are idempotent).
   */
  private async saveIfSettled(): Promise<void> {
    const position = this.unsaved;
    if (position === undefined || this.bus.unhandled!() > 0) return;
    await this.checkpoints.save(RELAY_CHECKPOINT, position);
    if (this.unsaved === position) this.unsaved = undefined;
  }

  /** A failure's ERROR line needs only its task id; the other intents, the execution's facts. */
  private async contextOf(event: RecordedEvent): Promise<IntentContext> {
    if (!isLoggedFailure(event)) return this.contexts.contextOf(event);
    const taskId = await this.taskIds.taskIdOf(event);
    return taskId !== undefined ? { taskId } : {};
  }

  private forget(executionId: string): void {
    this.contexts.forget(executionId);
    this.taskIds.forget(executionId);
  }

  async stop(): Promise<void> {
    clearInterval(this.settling);
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.close();
    // A throttled store keeps the last checkpoint for a moment: the next leader starts from it.
    await this.checkpoints.flush?.();
  }
}
