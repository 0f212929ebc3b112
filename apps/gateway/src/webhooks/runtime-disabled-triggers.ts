import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { TriggerKey, TriggerStates } from '@chronicle/use-cases';
import { TRIGGER_STATES } from '../gateway.tokens.js';

const keyOf = (k: TriggerKey) => `${k.namespace}\u0000${k.flowId}\u0000${k.triggerId}`;

/**
 * Triggers disabled at run time (`disableTrigger`, `stopAfter`), whatever their flow says: a
 * webhook of one answers 404 like a disabled one. Kept in memory and reloaded when any process
 * changes a trigger's state (the store's NOTIFY), so a webhook call costs no query; while the
 * notification channel is down, each call asks the store.
 */
@Injectable()
export class RuntimeDisabledTriggers implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('RuntimeDisabledTriggers');
  private disabled = new Set<string>();
  private fresh = false;
  private unlisten?: () => Promise<void>;

  constructor(@Inject(TRIGGER_STATES) private readonly states: TriggerStates) {}

  async onModuleInit(): Promise<void> {
    try {
      this.unlisten = await this.states.listen(() => void this.reload(), (error) => {
        this.fresh = false;
        this.logger.warn(`trigger state notifications lost (${error.message}); webhooks read the state per call`);
      });
      await this.reload();
    } catch (error) {
      this.logger.warn(`trigger states not loaded (${(error as Error).message}); webhooks read the state per call`);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.unlisten?.().catch(() => undefined);
  }

  async isDisabled(key: TriggerKey): Promise<boolean> {
    if (this.fresh) return this.disabled.has(keyOf(key));
    const state = await this.states.get(key);
    return state !== undefined && !state.enabled;
  }

  private async reload(): Promise<void> {
    try {
      const all = await this.states.all();
      this.disabled = new Set(all.filter((s) => !s.enabled).map(keyOf));
      this.fresh = this.unlisten !== undefined;
    } catch (error) {
      this.fresh = false;
      this.logger.warn(`trigger states not reloaded (${(error as Error).message}); webhooks read the state per call`);
    }
  }
}
