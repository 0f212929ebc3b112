import { Kafka, logLevel, Partitioners, type Admin, type logCreator, type Producer } from 'kafkajs';
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
import { deadLetterHeaders, encodeValue } from './message-codec.js';
import { inBatches, oneByOne, type HandlerErrorListener, type RawRecord, type RecordsProcessor } from './message-delivery.js';
import { startKafkaConsumer, type KafkaConsumerSettings, type KafkaGroupMember } from './kafka-consumer.js';
import { quietKafkaLogCreator } from './kafka-log-creator.js';
import { CoalescingSender, type TopicMessages } from './coalescing-sender.js';
import type { RetryBackoff } from './retry-backoff.js';
import { fixKafkajsIdleSpin } from './kafkajs-idle-spin.js';

export interface KafkaMessageBusOptions {
  readonly brokers: readonly string[];
  /**
   * Prefix of Chronicle's own consumer groups (`<prefix>.<groupId>`), normally the topic prefix:
   * two installations sharing a broker must not share a group, or a member of one would be handed
   * partitions of the other's topics in every rebalance.
   */
  readonly groupPrefix?: string;
  readonly clientId?: string;
  /** Partitions of the topics `ensureTopics` creates (default 4); each `.dlq` twin gets 1. */
  readonly partitions?: number;
  /** Where kafkajs logs go (default: WARN and above as JSON lines on stderr). */
  readonly logCreator?: logCreator;
  /** Called for every failed handler attempt before it is retried (default: kafkajs logger at WARN). */
  readonly onHandlerError?: HandlerErrorListener;
  readonly retryBackoff?: RetryBackoff;
  /**
   * How long the broker holds a fetch that finds no records (default 500 ms, Kafka's own default).
   * It never delays a record (the broker answers as soon as one arrives: `minBytes` is 1); a short
   * wait only makes every idle consumer poll the broker more often (at 20 ms, twelve idle consumers
   * cost the services and the broker 600 requests a second on this 2-core machine).
   */
  readonly maxWaitTimeInMs?: number;
  readonly sessionTimeoutMs?: number;
  /**
   * How often a member heartbeats (default 1 s): members learn of a rebalance on their next
   * heartbeat, so this bounds how long a joining or leaving replica waits for the others.
   */
  readonly heartbeatIntervalMs?: number;
  /**
   * How often a consumer commits its progress at most (default 1 s), and how long a record done
   * waits for its commit at most (OffsetCommitter): kafkajs's own auto-commit sent one OffsetCommit
   * per batch, about one per record below a few thousand records a second.
   */
  readonly commitIntervalMs?: number;
  /** Partition batches one consumer processes at once (default 8); order within a partition is kept. */
  readonly partitionsConsumedConcurrently?: number;
  /** Largest batch given to a `consumeBatch` handler (default 500). */
  readonly maxBatchSize?: number;
}

/**
 * The bus over Kafka, with kafkajs used directly (not @nestjs/microservices): the bus needs
 * to decide when offsets are committed, which the Nest transport hides.
 */
export class KafkaMessageBus implements MessageBus {
  private readonly kafka: Kafka;
  private producer?: Promise<Producer>;
  private admin?: Promise<Admin>;
  private readonly consumers = new Map<Consumer, KafkaGroupMember>();
  private readonly partitions: number;
  private readonly sender = new CoalescingSender((batch) => this.sendRequest(batch));

  constructor(private readonly options: KafkaMessageBusOptions) {
    // Before any connection exists: kafkajs 2.2.4's idle connections spin a 1 ms timer (see there).
    fixKafkajsIdleSpin();
    this.kafka = new Kafka({
      clientId: options.clientId ?? 'chronicle',
      brokers: [...options.brokers],
      connectionTimeout: 3000,
      // Back quickly after a broker restart: kafkajs's default backoff grows to 30 s between tries.
      retry: { initialRetryTime: 100, maxRetryTime: 1000, retries: 8 },
      logLevel: logLevel.WARN,
      logCreator: options.logCreator ?? quietKafkaLogCreator,
    });
    this.partitions = options.partitions ?? 4;
  }

  async ensureTopics(topics: readonly string[]): Promise<void> {
    const admin = await this.connectedAdmin();
    const existing = new Set(await admin.listTopics());
    const wanted = topics.flatMap((topic) => [
      { topic, numPartitions: this.partitions },
      { topic: dlqTopic(topic), numPartitions: 1 },
    ]);
    const missing = wanted.filter((t) => !existing.has(t.topic));
    if (missing.length === 0) return;
    try {
      await admin.createTopics({ topics: missing, waitForLeaders: true });
    } catch (error) {
      // Another process may have created some of them in between: fine, if they all exist now.
      const now = new Set(await admin.listTopics());
      if (missing.some((t) => !now.has(t.topic))) throw error;
    }
  }

  async publish(topic: string, messages: readonly BusMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.sender.publish(topic, messages.map((m) => ({ key: m.key, value: encodeValue(m.value), headers: m.headers ? { ...m.headers } : undefined })));
  }

  /** One produce request (acks=all) for what the sender coalesced. */
  private async sendRequest(batch: readonly TopicMessages[]): Promise<void> {
    try {
      await this.sendOnce(batch);
    } catch (error) {
      // Once more at once with the new producer (see below) rather than fail the publish: after a
      // broker restart a producer's next request is often refused so, and its caller (the
      // outbox relay) retried only a second later, which added that second to every resumption.
      if (!hasErrorType(error, PRODUCER_OUT_OF_STEP)) throw error;
      await this.sendOnce(batch);
    }
  }

  private async sendOnce(batch: readonly TopicMessages[]): Promise<void> {
    const connecting = this.connectedProducer();
    const producer = await connecting;
    try {
      await producer.sendBatch({ acks: -1, topicMessages: [...batch] });
    } catch (error) {
      if (hasErrorType(error, PRODUCER_OUT_OF_STEP) && this.producer === connecting) {
        // kafkajs gives a failed request's sequence numbers back, but a broker that stopped after
        // writing it (a restart) has them already: every later request is then refused as out of
        // order, for good (the chaos run's projection published nothing more). A new producer gets
        // a new producer id and starts its sequences afresh; the caller retries the publish, and
        // consumers are idempotent.
        this.producer = undefined;
        void producer.disconnect().catch(() => undefined);
      }
      // The sender retries a failed multi-topic request topic by topic, so this names the right one.
      throw hasErrorType(error, ['UNKNOWN_TOPIC_OR_PARTITION']) && batch.length === 1 ? new UnknownTopicError(batch[0]!.topic) : error;
    }
  }

  consume<T = unknown>(options: ConsumeOptions, handler: MessageHandler<T>): Promise<Consumer> {
    return this.startConsumer(this.grouped(options), oneByOne(handler, options.raw));
  }

  consumeBatch<T = unknown>(options: ConsumeOptions, handler: BatchHandler<T>): Promise<Consumer> {
    return this.startConsumer(this.grouped(options), inBatches(handler, this.options.maxBatchSize ?? 500, options.raw));
  }

  private grouped(options: ConsumeOptions): ConsumeOptions {
    const prefix = this.options.groupPrefix;
    return prefix && !options.exactGroupId ? { ...options, groupId: `${prefix}.${options.groupId}` } : options;
  }

  problems(): string[] {
    return [...this.consumers.values()].map((member) => member.problem()).filter((p): p is string => p !== undefined);
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers.keys()].map((c) => c.stop()));
    const [producer, admin] = [this.producer, this.admin];
    this.producer = this.admin = undefined;
    await Promise.all([producer?.then((p) => p.disconnect()), admin?.then((a) => a.disconnect())].map((p) => p?.catch(() => undefined)));
  }

  private async startConsumer(options: ConsumeOptions, processRecords: RecordsProcessor): Promise<Consumer> {
    const admin = await this.connectedAdmin();
    if (!(await admin.listTopics()).includes(options.topic)) throw new UnknownTopicError(options.topic);
    const settings: KafkaConsumerSettings = {
      kafka: this.kafka,
      admin: () => this.connectedAdmin(),
      deadLetter: (record, reason) => this.deadLetter(record, reason),
      onError: this.options.onHandlerError ?? this.logHandlerError,
      backoff: this.options.retryBackoff,
      maxWaitTimeInMs: this.options.maxWaitTimeInMs ?? 500,
      sessionTimeoutMs: this.options.sessionTimeoutMs ?? 6000,
      heartbeatIntervalMs: this.options.heartbeatIntervalMs ?? 1000,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 8,
      commitIntervalMs: this.options.commitIntervalMs ?? 1000,
    };
    const consumer = await startKafkaConsumer(settings, options, processRecords);
    const tracked: Consumer = {
      stop: async () => {
        this.consumers.delete(tracked);
        await consumer.stop();
      },
      lag: () => consumer.lag(),
    };
    this.consumers.set(tracked, consumer);
    return tracked;
  }

  /** The original key, value bytes and headers, plus the reason and source position. */
  private async deadLetter(record: RawRecord, reason: string): Promise<void> {
    const producer = await this.connectedProducer();
    // Not coalesced: the value goes as the original bytes, and dead letters are rare.
    await producer.send({
      topic: dlqTopic(record.topic),
      acks: -1,
      messages: [{ key: record.key, value: record.value, headers: deadLetterHeaders(record.headers, reason, record, new Date()) }],
    });
  }

  private readonly logHandlerError: HandlerErrorListener = (error, context) => {
    this.kafka.logger().warn('message handler failed; retrying', { ...context, error: error instanceof Error ? error.message : String(error) });
  };

  private connectedProducer(): Promise<Producer> {
    // kafkajs sends each `send` at once (there is no linger to tune): the CoalescingSender batches.
    this.producer ??= retryable(
      connect(
        this.kafka.producer({
          idempotent: true,
          maxInFlightRequests: 1,
          allowAutoTopicCreation: false,
          createPartitioner: Partitioners.DefaultPartitioner,
        }),
      ),
      () => (this.producer = undefined),
    );
    return this.producer;
  }

  private connectedAdmin(): Promise<Admin> {
    this.admin ??= retryable(connect(this.kafka.admin()), () => (this.admin = undefined));
    return this.admin;
  }
}

async function connect<C extends { connect(): Promise<void> }>(client: C): Promise<C> {
  await client.connect();
  return client;
}

/** Memoises a connection, forgetting a failed one so the next call tries again. */
function retryable<C>(connecting: Promise<C>, forget: () => void): Promise<C> {
  return connecting.catch((error: unknown) => {
    forget();
    throw error;
  });
}

/** Broker answers saying the idempotent producer's state no longer matches the broker's. */
const PRODUCER_OUT_OF_STEP = ['OUT_OF_ORDER_SEQUENCE_NUMBER', 'UNKNOWN_PRODUCER_ID', 'INVALID_PRODUCER_EPOCH'];

/** Whether the error, or one it was caused by (kafkajs wraps retried errors), is a Kafka error of one of these types. */
function hasErrorType(error: unknown, types: readonly string[]): boolean {
  for (let e = error as { type?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.type !== undefined && types.includes(e.type)) return true;
  }
  return false;
}
