import type { BatchHandler, BusMessage, ConsumeOptions, Consumer, MessageBus, MessageHandler } from '@chronicle/messaging';
import { contextFrom, linksFrom, registerConsumerLag, SpanKind, traceHeaders, withSpan } from '@chronicle/runtime';

/**
 * The bus with trace context and consumer lag:
 * - `publish` adds the active span's `traceparent` to each message that has none (the relay
 *   sets the one of the event that caused the message);
 * - each delivery runs in a CONSUMER span whose parent is the message's `traceparent` (a batch:
 *   the first message's, linked to the others');
 * - every consumer reports its lag on `chronicle_consumer_lag_messages` until it stops; but for
 *   topics `lagShown` refuses (flows' Kafka triggers, whose topic and group name namespaces and
 *   flows, where namespace names are not public: CHRONICLE_METRICS_NAMESPACE_LABELS).
 * A proxy, so every other method passes through untouched.
 */
export function instrumentMessageBus<T extends MessageBus>(bus: T, kind: 'kafka' | 'in-process', lagShown: (topic: string) => boolean = () => true): T {
  const withLag = (options: ConsumeOptions, consumer: Consumer): Consumer => (lagShown(options.topic) ? withLagGauge(options, consumer) : consumer);
  const publish = (topic: string, messages: readonly BusMessage[]) => {
    const headers = traceHeaders();
    const traced = headers.traceparent === undefined ? messages : messages.map((m) => (m.headers?.traceparent ? m : { ...m, headers: { ...m.headers, ...headers } }));
    return bus.publish(topic, traced);
  };
  const consume = async <M>(options: ConsumeOptions, handler: MessageHandler<M>): Promise<Consumer> =>
    withLag(options, await bus.consume<M>(options, (message) =>
      withSpan(`${options.topic} process`, { kind: SpanKind.CONSUMER, parent: contextFrom(message.headers), attributes: attributes(kind, options) }, () => handler(message)),
    ));
  const consumeBatch = async <M>(options: ConsumeOptions, handler: BatchHandler<M>): Promise<Consumer> =>
    withLag(options, await bus.consumeBatch<M>(options, (messages, control) => {
      const first = messages.find((m) => m.headers?.traceparent);
      return withSpan(
        `${options.topic} process`,
        { kind: SpanKind.CONSUMER, parent: contextFrom(first?.headers), links: linksFrom(messages.slice(1).map((m) => m.headers)), attributes: { ...attributes(kind, options), 'messaging.batch.message_count': messages.length } },
        () => handler(messages, control),
      );
    }));
  const overrides: Partial<Record<PropertyKey, unknown>> = { publish, consume, consumeBatch };
  return new Proxy(bus, {
    get(target, property, receiver) {
      if (property in overrides) return overrides[property];
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const attributes = (kind: string, options: ConsumeOptions) => ({ 'messaging.system': kind, 'messaging.destination.name': options.topic, 'messaging.consumer.group.name': options.groupId });

function withLagGauge(options: ConsumeOptions, consumer: Consumer): Consumer {
  const unregister = registerConsumerLag(options.topic, options.groupId, () => consumer.lag());
  return new Proxy(consumer, {
    get(target, property, receiver) {
      if (property === 'stop') return () => {
        unregister();
        return target.stop();
      };
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
