import {
  dlqTopic,
  UnknownTopicError,
  type BatchHandler,
  type BusMessage,
  type Consumer,
  type ConsumeOptions,
  type MessageBus,
  type MessageHandler,
} from './message-bus.port.js';
import { deadLetterHeaders, jsonCopy } from './message-codec.js';
import { inBatches, oneByOne, type HandlerErrorListener, type RawRecord, type RecordsProcessor } from './message-delivery.js';
import { InProcessTopic, type Member } from './in-process-topic.js';
import type { RetryBackoff } from './retry-backoff.js';

export interface InProcessMessageBusOptions {
  /** Partitions of the topics `ensureTopics` creates (default 4): the unit of ordering and of sharing. */
  readonly partitions?: number;
  /** Called for every failed handler attempt before it is retried (default: a JSON line on stderr). */
  readonly onHandlerError?: HandlerErrorListener;
  readonly retryBackoff?: RetryBackoff;
  /** Largest batch given to a `consumeBatch` handler (default 500). */
  readonly maxBatchSize?: number;
  /** Records a topic may hold before `waitForRoom` makes publishers that can wait wait (default 20 000). */
  readonly maxBacklog?: number;
}

/**
 * The bus inside one process (the standalone default), keeping the Kafka adapter's contract:
 * per-key order, every group gets every message, members of a group share partitions, commits
 * after the handler resolved, poison to `<topic>.dlq`, retries for other failures. Nothing
 * survives the process: durability is the event store's job (the stream is the outbox).
 */
export class InProcessMessageBus implements MessageBus {
  private readonly topics = new Map<string, InProcessTopic>();
  private readonly consumers = new Set<Consumer>();

  constructor(private readonly options: InProcessMessageBusOptions = {}) {}

  async ensureTopics(topics: readonly string[]): Promise<void> {
    for (const topic of topics) {
      if (!this.topics.has(topic)) this.topics.set(topic, new InProcessTopic(topic, this.options.partitions ?? 4, this.options.maxBacklog ?? 20_000));
      const dlq = dlqTopic(topic);
      if (!this.topics.has(dlq)) this.topics.set(dlq, new InProcessTopic(dlq, 1));
    }
  }

  /**
   * Resolves once the messages are in the topic's log; handlers run later, never inside this call.
   * Each value is copied once, as its JSON text would parse (jsonCopy), frozen and shared by every
   * consumer group: no text is made unless someone asks for it (a raw consumer, a dead letter).
   */
  async publish(topic: string, messages: readonly BusMessage[]): Promise<void> {
    const log = this.topic(topic);
    const copied = messages.map((m) => ({ key: m.key, value: { value: jsonCopy(m.value) }, headers: { ...m.headers } }));
    for (const m of copied) log.append(m.key, m.value, m.headers);
  }

  /** Resolves once `topic` holds fewer records than the backlog ceiling (memory stays bounded while consumers lag). */
  waitForRoom(topic: string): Promise<void> {
    return this.topic(topic).waitForRoom();
  }

  /** Appends a value as is, e.g. text that is not JSON (what a foreign Kafka producer could send). */
  async publishRaw(topic: string, key: string, value: string | null, headers: Readonly<Record<string, string>> = {}): Promise<void> {
    this.topic(topic).append(key, value, { ...headers });
  }

  /** Published messages some group has not handled yet (they would die with the process). */
  unhandled(): number {
    let count = 0;
    for (const topic of this.topics.values()) count += topic.unhandled();
    return count;
  }

  /** Every topic created so far, `.dlq` twins included. */
  topicNames(): string[] {
    return [...this.topics.keys()];
  }

  /** The records a topic still holds (all of them for a `.dlq` topic nobody consumes). */
  retained(topic: string): readonly RawRecord[] {
    return this.topic(topic).retained();
  }

  consume<T = unknown>(options: ConsumeOptions, handler: MessageHandler<T>): Promise<Consumer> {
    return this.join(options, oneByOne(handler, options.raw));
  }

  consumeBatch<T = unknown>(options: ConsumeOptions, handler: BatchHandler<T>): Promise<Consumer> {
    return this.join(options, inBatches(handler, this.options.maxBatchSize ?? 500, options.raw));
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((c) => c.stop()));
  }

  private async join(options: ConsumeOptions, processor: RecordsProcessor): Promise<Consumer> {
    const topic = this.topic(options.topic);
    const member: Member = {
      processor,
      context: {
        deadLetter: async (record, reason) =>
          this.topic(dlqTopic(record.topic)).append(record.key, record.value, deadLetterHeaders(record.headers, reason, record, new Date())),
        onError: this.options.onHandlerError ?? logHandlerError,
        backoff: this.options.retryBackoff,
      },
    };
    await topic.join(options.groupId, member, options.fromBeginning ?? true);
    const consumer: Consumer = {
      stop: async () => {
        this.consumers.delete(consumer);
        await topic.leave(options.groupId, member);
      },
      lag: async () => topic.lag(options.groupId),
    };
    this.consumers.add(consumer);
    return consumer;
  }

  private topic(name: string): InProcessTopic {
    const topic = this.topics.get(name);
    if (!topic) throw new UnknownTopicError(name);
    return topic;
  }
}

const logHandlerError: HandlerErrorListener = (error, context) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${JSON.stringify({ level: 'WARN', logger: 'chronicle.in-process-bus', msg: 'message handler failed; retrying', ...context, error: message })}\n`);
};
