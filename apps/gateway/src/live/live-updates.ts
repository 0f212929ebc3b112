import { applyExecutionViewChange, parseReadModelUpdate, type ExecutionUpdate, type ExecutionView, type FlowUpdate, type LogUpdate, type ReadModelUpdate } from '@chronicle/read-model';
import type { Consumer, MessageBus, Topics } from '@chronicle/messaging';
import { registerOpenSubscriptions, type Logger, type Unregister } from '@chronicle/runtime';

/** What the projection publishes on the updates topic after each commit (libs/contracts/src/updates.ts). */
export type UpdateMessage = ReadModelUpdate;

/** An execution update with the view its delta leads to, as this gateway's listeners receive it. */
export interface ExecutionViewUpdate extends ExecutionUpdate {
  readonly view: ExecutionView;
}
export type LiveUpdate = ExecutionViewUpdate | FlowUpdate | LogUpdate;

/** The view of an execution at exactly `revision`, folded from the log (for a delta whose base this gateway lacks). */
export type ExecutionViewAt = (executionId: string, revision: number) => Promise<ExecutionView | undefined>;

type Listener = (update: LiveUpdate) => void;
/** Told every execution's state after each update, without its view (nothing is loaded for it). */
type StateListener = (executionId: string, state: ExecutionUpdate['state']) => void;

/** Views kept to apply the next deltas to (the most recently updated executions). */
export const VIEW_CACHE_LIMIT = 1_000;

/**
 * Every gateway replica follows the updates topic in a consumer group of its own (so each
 * one sees every update) and fans the updates out to its subscribers in this process.
 * Per-execution order holds: the topic is keyed by execution id. Execution updates carry deltas
 * of the read side's view: applied here to the view this gateway holds, or, when it does not
 * hold the delta's base (an execution created before it started, or forgotten), to the view
 * folded from the log at that revision. For executions nobody listens to, no view is built or loaded.
 */
export class LiveUpdates {
  private readonly byExecution = new Map<string, Set<Listener>>();
  private readonly all = new Set<Listener>();
  private readonly states = new Set<StateListener>();
  private readonly views = new Map<string, ExecutionView>();
  private consumer?: Consumer;
  private unregisterGauge?: Unregister;

  constructor(
    private readonly bus: MessageBus,
    private readonly topics: Topics,
    private readonly instanceId: string,
    private readonly logger: Logger,
    private readonly viewAt: ExecutionViewAt,
  ) {}

  async start(): Promise<void> {
    // An update that does not fit the contract (or of an unknown schemaVersion) goes to the DLQ.
    this.consumer = await this.bus.consume<unknown>(
      { topic: this.topics.updates, groupId: `chronicle-gateway-${this.instanceId}`, fromBeginning: false },
      async (message) => this.dispatch(parseReadModelUpdate(message.value)),
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

  /** Every execution's state changes (admission control follows ends with it): no view is built or loaded for these. */
  onExecutionState(listener: StateListener): () => void {
    this.states.add(listener);
    return () => this.states.delete(listener);
  }

  get subscriberCount(): number {
    let n = this.all.size;
    for (const set of this.byExecution.values()) n += set.size;
    return n;
  }

  private async dispatch(message: UpdateMessage): Promise<void> {
    if (message.kind === 'execution') {
      for (const listener of this.states) {
        try {
          listener(message.executionId, message.state);
        } catch (error) {
          this.logger.warn({ err: error }, 'a live-update state listener failed');
        }
      }
    }
    const targets = 'executionId' in message ? this.byExecution.get(message.executionId) : undefined;
    const listeners = [...(targets ?? []), ...this.all];
    if (listeners.length === 0) {
      // Nobody to tell: no view is built (nor kept as a base); a listener that comes later gets
      // the view folded from the log at its first update. Most executions (a webhook's, a
      // trigger's) are never watched.
      if (message.kind === 'execution') this.views.delete(message.executionId);
      return;
    }
    let update: LiveUpdate | undefined = message.kind === 'execution' ? undefined : message;
    if (message.kind === 'execution') {
      const view = await this.viewOf(message);
      if (view) update = { ...message, view };
    }
    if (!update) return;
    for (const listener of listeners) {
      try {
        listener(update);
      } catch (error) {
        this.logger.warn({ err: error }, 'a live-update listener failed');
      }
    }
  }

  /** Views held as the base of the next deltas (of executions listened to lately). */
  get heldViews(): number {
    return this.views.size;
  }

  /** The view the update leads to (someone listens); loaded from the log when the delta's base is missing. */
  private async viewOf(update: ExecutionUpdate): Promise<ExecutionView | undefined> {
    const cached = this.views.get(update.executionId);
    let view = applyExecutionViewChange(cached, update.change);
    if (!view && cached && cached.revision >= update.revision) return undefined; // an update seen already (a redelivery)
    if (!view) {
      try {
        view = await this.viewAt(update.executionId, update.revision);
      } catch (error) {
        this.logger.warn({ err: error, executionId: update.executionId }, 'could not load the view of an execution update');
      }
    }
    this.views.delete(update.executionId);
    if (!view) return undefined;
    // Most recently updated last: the first entry is the one to forget.
    this.views.set(update.executionId, view);
    if (this.views.size > VIEW_CACHE_LIMIT) this.views.delete(this.views.keys().next().value!);
    return view;
  }
}
