import { parseUpdate, type ReadModelUpdate } from '@chronicle/contracts';
import type { Consumer, MessageBus, Topics } from '@chronicle/messaging';
import { registerOpenSubscriptions, type Logger, type Unregister } from '@chronicle/runtime';

/** What the projection publishes on the updates topic after each commit (libs/contracts/src/updates.ts). */
export type UpdateMessage = ReadModelUpdate;

type Listener = (update: UpdateMessage) => void;

/**
 * Every gateway replica follows the updates topic in a consumer group of its own (so each
 * one sees every update) and fans the updates out to its subscribers in this process.
 * Per-execution order holds: the topic is keyed by execution id.
 */
export class LiveUpdates {
  private readonly byExecution = new Map<string, Set<Listener>>();
  private readonly all = new Set<Listener>();
  private consumer?: Consumer;
  private unregisterGauge?: Unregister;

  constructor(private readonly bus: MessageBus, private readonly topics: Topics, private readonly instanceId: string, private readonly logger: Logger) {}

  async start(): Promise<void> {
    // An update that does not fit the contract (or of an unknown schemaVersion) goes to the DLQ.
    this.consumer = await this.bus.consume<unknown>(
      { topic: this.topics.updates, groupId: `chronicle-gateway-${this.instanceId}`, fromBeginning: false },
      async (message) => this.dispatch(parseUpdate(message.value)),
    );
    this.unregisterGauge = registerOpenSubscriptions('live_updates', () => this.subscriberCount);
  }

  async stop(): Promise<void> {
    this.unregisterGauge?.();
    await this.consumer?.stop();
  }

  /** Listens to one execution's updates; returns the function that stops listening. */
  onExecution(executionId: string, listener: Listener): () => void {
    const set = this.byExecution.get(executionId) ?? new Set();
    set.add(listener);
    this.byExecution.set(executionId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.byExecution.delete(executionId);
    };
  }

  onAny(listener: Listener): () => void {
    this.all.add(listener);
    return () => this.all.delete(listener);
  }

  get subscriberCount(): number {
    let n = this.all.size;
    for (const set of this.byExecution.values()) n += set.size;
    return n;
  }

  private dispatch(update: UpdateMessage): void {
    const targets = 'executionId' in update ? this.byExecution.get(update.executionId) : undefined;
    for (const listener of [...(targets ?? []), ...this.all]) {
      try {
        listener(update);
      } catch (error) {
        this.logger.warn({ err: error }, 'a live-update listener failed');
      }
    }
  }
}
