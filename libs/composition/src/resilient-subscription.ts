import type { EventStore, SubscribeOptions, Subscription, SubscriptionHandler } from '@chronicle/event-store';
import type { Logger } from '@chronicle/runtime';

export interface ResilientSubscriptionSettings {
  readonly logger: Logger;
  /** Names the subscription in the log lines. */
  readonly name: string;
  /** Wait before subscribing again after a failure (default 1 s). */
  readonly retryDelayMs?: number;
}

/**
 * `subscribeToAll` that outlives outages: when the subscription stops on an error (the store or
 * Postgres unreachable for longer than its read retries, a handler that failed because the bus
 * or a table was down), it logs a warning and subscribes again after the last batch its handler
 * finished, instead of taking the process down. A service thus waits through a Postgres or
 * broker restart and carries on where it was. The handler must tolerate seeing a batch again
 * (the failed one is delivered anew), which Chronicle's handlers do: they are idempotent.
 */
export function resilientSubscription(store: EventStore, options: SubscribeOptions, handler: SubscriptionHandler, settings: ResilientSubscriptionSettings): Subscription {
  let after = options.after;
  let current: Subscription | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  let failures = 0;
  let markCaughtUp!: () => void;
  const caughtUp = new Promise<void>((resolve) => (markCaughtUp = resolve));
  const open = () => {
    if (closed) return;
    const subscription = store.subscribeToAll(
      { ...options, after },
      async (events) => {
        await handler(events);
        after = events[events.length - 1]!.position;
        failures = 0;
      },
      {
        onError: (error) => {
          if (closed) return;
          failures += 1;
          settings.logger.warn({ err: error, subscription: settings.name, failures }, 'log subscription failed; subscribing again from where it was');
          if (current === subscription) current = undefined;
          void subscription.close().catch(() => undefined);
          retry = setTimeout(open, settings.retryDelayMs ?? 1000);
        },
      },
    );
    current = subscription;
    subscription.caughtUp.then(markCaughtUp, () => undefined);
  };
  open();
  return {
    caughtUp,
    close: async () => {
      closed = true;
      clearTimeout(retry);
      await current?.close();
    },
  };
}
