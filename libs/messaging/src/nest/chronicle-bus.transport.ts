import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import type { Consumer, MessageBus, ReceivedMessage } from '../message-bus.port.js';
import type { Topics } from '../topics.js';

/** What an `@EventPattern(name, extras)` handler of this transport may say about its subscription. */
export interface BusEventExtras {
  /** The consumer group: replicas of one group share the topic's messages. */
  readonly groupId: string;
  /** Read the topic from its start when the group has no committed offset (default: only new messages). */
  readonly fromBeginning?: boolean;
  /** How late a message may reach the handler (ConsumeOptions.maxDelayMs; default: at once). */
  readonly maxDelayMs?: number;
}

/** How long a subscription is retried while the broker answers with a retriable error. */
const SUBSCRIBE_RETRY_MS = 20_000;

/**
 * A topic created a moment ago may not have its partition leaders yet ("This server does not host
 * this topic-partition"): the broker marks such errors retriable, and the subscription is tried again.
 */
async function whileRetriable<T>(attempt: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + SUBSCRIBE_RETRY_MS;
  for (let delay = 100; ; delay = Math.min(delay * 2, 2_000)) {
    try {
      return await attempt();
    } catch (error) {
      if ((error as { retriable?: boolean }).retriable !== true || Date.now() + delay > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/**
 * Chronicle's message bus (Kafka, or the in-process bus of standalone mode) as a NestJS
 * microservice transport: a module's `@EventPattern('<topic name>', { groupId })` handlers consume
 * that topic of `Topics` (`updates`, `logs`, ...) under the installation's prefix, in that consumer
 * group. A handler's failure is the bus's to retry or dead-letter, as for any consumer, because the
 * handler is awaited (Nest's base transport would only log it).
 */
export class ChronicleBusTransport extends Server implements CustomTransportStrategy {
  private readonly consumers: Consumer[] = [];

  constructor(private readonly bus: MessageBus, private readonly topics: Topics) {
    super();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      for (const [pattern, handler] of this.messageHandlers) {
        const topic = this.topics[pattern as keyof Topics];
        if (typeof topic !== 'string') throw new Error(`@EventPattern('${pattern}') names no topic of the bus (one of ${Object.keys(this.topics).join(', ')})`);
        const extras = handler.extras as BusEventExtras | undefined;
        if (!extras?.groupId) throw new Error(`@EventPattern('${pattern}') needs a groupId in its extras`);
        const consume = () => this.bus.consume(
          { topic, groupId: extras.groupId, fromBeginning: extras.fromBeginning ?? false, ...(extras.maxDelayMs !== undefined ? { maxDelayMs: extras.maxDelayMs } : {}) },
          async (message: ReceivedMessage<unknown>) => {
            const result = await handler(message.value, message);
            if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
          },
        );
        this.consumers.push(await whileRetriable(consume));
      }
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.consumers.splice(0).map((consumer) => consumer.stop()));
  }

  on(): never {
    throw new Error('ChronicleBusTransport has no transport events: the bus reports its own health (/readyz)');
  }

  unwrap<T>(): T {
    return this.bus as T;
  }
}
