import type { EventStore, RecordedEvent, SubscribeOptions, SubscriptionCallbacks, SubscriptionHandler } from '@chronicle/event-store';
import { contextFrom, eventStoreAppendDuration, linksFrom, SpanKind, withSpan } from '@chronicle/runtime';

const TIMED = new Set<PropertyKey>(['append', 'appendMany']);

/**
 * The event store with its appends timed (`chronicle_event_store_append_duration_seconds`)
 * and traced (an `event-store <operation>` span under the active one), and each batch a
 * subscription delivers (to the projection, the outbox relay...) handled in a CONSUMER span
 * whose parent is the first event's `metadata.traceparent` (linked to the others'): the trace
 * goes on past the log. A proxy, so every other method of the port passes through untouched.
 */
export function instrumentEventStore<T extends EventStore>(store: T, adapter: string): T {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property === 'subscribeToAll') {
        return (options: SubscribeOptions, handler: SubscriptionHandler, callbacks?: SubscriptionCallbacks) =>
          target.subscribeToAll(options, tracedDelivery(handler, options), callbacks);
      }
      if (!TIMED.has(property) || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
      const operation = String(property);
      return (...args: unknown[]) => {
        const stop = eventStoreAppendDuration.startTimer({ operation });
        const streams = operation === 'append' ? 1 : (args[0] as unknown[]).length;
        return withSpan(`event-store ${operation}`, { kind: SpanKind.CLIENT, attributes: { 'db.system': adapter, 'chronicle.streams': streams } }, async () => {
          try {
            const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
            stop({ outcome: 'ok' });
            return result;
          } catch (error) {
            stop({ outcome: 'error' });
            throw error;
          }
        });
      };
    },
  });
}

function tracedDelivery(handler: SubscriptionHandler, options: SubscribeOptions): SubscriptionHandler {
  const prefixes = options.filter?.streamPrefixes?.join(',') ?? '*';
  return (events: readonly RecordedEvent[]) =>
    withSpan(
      'event-store deliver',
      {
        kind: SpanKind.CONSUMER,
        parent: contextFrom(events.find((e) => typeof e.metadata?.traceparent === 'string')?.metadata),
        links: linksFrom(events.slice(1).map((e) => e.metadata)),
        attributes: { 'chronicle.stream_prefixes': prefixes, 'chronicle.events': events.length },
      },
      () => handler(events),
    );
}
