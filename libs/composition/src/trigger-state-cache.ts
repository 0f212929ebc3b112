import type { Logger } from '@chronicle/runtime';
import type { TriggerKey, TriggerStates } from '@chronicle/use-cases';

const keyOf = (k: TriggerKey) => `${k.namespace}\u0000${k.flowId}\u0000${k.triggerId}`;

/**
 * The run-time enabled flags of every trigger (`disableTrigger`, `stopAfter`), kept in memory for
 * the whole process: the gateway's webhooks and the scheduler's Kafka triggers ask it, and the
 * scheduler wakes its schedules on its changes. One LISTEN per process, whatever it hosts: on
 * NOTIFY (any process changed a trigger) the flags are reloaded and the subscribers told. While
 * the notification connection is down (Postgres restarting) every question asks the store and the
 * connection is opened again; once it is back, the subscribers are told (what changed meanwhile).
 * It starts listening when first used (a process that never asks, an executor, holds no LISTEN
 * connection for it).
 */
export class TriggerStateCache {
  private disabled = new Set<string>();
  private fresh = false;
  private unlisten?: () => Promise<void>;
  private retry?: NodeJS.Timeout;
  private started?: Promise<void>;
  private stopped = false;
  private readonly subscribers = new Set<() => void>();

  constructor(private readonly states: TriggerStates, private readonly logger: Logger, private readonly retryMs = 1000) {}

  /** Listens and loads, once; a failure is logged and retried (questions ask the store meanwhile). */
  start(): Promise<void> {
    this.started ??= this.listen();
    return this.started;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await this.started;
    await this.unlisten?.().catch(() => undefined);
    this.unlisten = undefined;
  }

  /** Calls `onChange` after every reload (a trigger was enabled or disabled, or the LISTEN came back); returns the unsubscribe. */
  subscribe(onChange: () => void): () => void {
    this.subscribers.add(onChange);
    void this.start();
    return () => this.subscribers.delete(onChange);
  }

  async isDisabled(key: TriggerKey): Promise<boolean> {
    void this.start();
    if (this.fresh) return this.disabled.has(keyOf(key));
    const state = await this.states.get(key);
    return state !== undefined && !state.enabled;
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    try {
      const unlisten = await this.states.listen(() => void this.reload(), (error) => this.lost(error));
      // Stopped while connecting (a retry that was already under way): let the connection go.
      if (this.stopped) return void (await unlisten().catch(() => undefined));
      this.unlisten = unlisten;
      await this.reload();
    } catch (error) {
      this.lost(error as Error);
    }
  }

  private lost(error: Error): void {
    this.fresh = false;
    if (this.stopped) return;
    this.logger.warn({ err: error }, 'trigger state notifications lost; reading the state per question, listening again');
    const lost = this.unlisten;
    this.unlisten = undefined;
    void lost?.().catch(() => undefined);
    clearTimeout(this.retry);
    this.retry = setTimeout(() => void this.listen(), this.retryMs);
  }

  private async reload(): Promise<void> {
    try {
      const all = await this.states.all();
      this.disabled = new Set(all.filter((s) => !s.enabled).map(keyOf));
      this.fresh = this.unlisten !== undefined;
    } catch (error) {
      this.fresh = false;
      this.logger.warn({ err: error }, 'trigger states not reloaded; reading the state per question');
    }
    for (const subscriber of this.subscribers) subscriber();
  }
}
