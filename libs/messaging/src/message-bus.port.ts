import { CodedError } from '@chronicle/errors';

/**
 * The message bus port. Kafka in distributed mode; an in-process adapter with the
 * same contract in the standalone process.
 *
 * Contract:
 * - Messages with the same key are delivered in publish order to one consumer of a group.
 * - Each consumer group receives every message of the topic once (at least once across
 *   crashes: a message is committed only after its handler resolved).
 * - A message whose value is not valid JSON, or that the handler rejects with
 *   `PoisonMessageError`, goes to `<topic>.dlq` with headers naming the reason and
 *   the source position; the partition moves on.
 * - Any other handler error is retried (with backoff) — the message is not skipped.
 */

export interface BusMessage<T = unknown> {
  readonly key: string;
  readonly value: T;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface ReceivedMessage<T = unknown> extends BusMessage<T> {
  readonly topic: string;
  readonly partition: number;
  /** Kafka offset as a decimal string; a sequence number in-process. */
  readonly offset: string;
  readonly headers: Readonly<Record<string, string>>;
}

export type MessageHandler<T = unknown> = (message: ReceivedMessage<T>) => Promise<void>;
/** What a batch handler may use while it holds its batch. */
export interface BatchControl {
  /** False once the consumer stops or loses the partition: the batch then goes to the partition's next owner. */
  alive(): boolean;
  /**
   * Keeps this member in its group while the handler waits (Kafka heartbeats only when asked,
   * so a handler that holds its batch past the session timeout would lose it); rejects when
   * the group is rebalancing, which means the batch is about to be lost.
   */
  heartbeat(): Promise<void>;
}

/** Receives a batch from one partition, in order; all are committed when it resolves. */
export type BatchHandler<T = unknown> = (messages: readonly ReceivedMessage<T>[], control: BatchControl) => Promise<void>;

export interface ConsumeOptions {
  readonly topic: string;
  readonly groupId: string;
  /** Start at the earliest retained offset when the group has no committed offset (default true). */
  readonly fromBeginning?: boolean;
  /**
   * Hand the handler the value as raw text instead of parsed JSON (for topics Chronicle does not
   * own, such as a flow's Kafka trigger with a STRING deserializer). Default false.
   */
  readonly raw?: boolean;
  /**
   * Use `groupId` exactly as given, not under the bus's group prefix (for a group the user named,
   * such as a flow's Kafka trigger's `groupId`). Default false.
   */
  readonly exactGroupId?: boolean;
  /**
   * How late a message may reach this consumer, in ms (default 0: as soon as it is published). A
   * consumer whose work does not wait on it (counting metrics) says so: Kafka then answers its
   * fetches once that long has passed or enough records are there, one request for many records,
   * instead of one per record. The in-process bus delivers at once regardless.
   */
  readonly maxDelayMs?: number;
}

export interface Consumer {
  /** Leaves the group; resolves after the handler call in flight (if any) has finished. */
  stop(): Promise<void>;
  /** Messages of the topic not yet committed by this consumer's group (all partitions). */
  lag(): Promise<number>;
}

export interface MessageBus {
  /** Creates the topics (and their `.dlq` twins) if missing. Idempotent. */
  ensureTopics(topics: readonly string[]): Promise<void>;
  /** Resolves when every message is durably accepted (Kafka: acks=all, idempotent producer). */
  publish(topic: string, messages: readonly BusMessage[]): Promise<void>;
  /**
   * A bus that holds messages in memory bounds them: resolves once `topic` has room. A publisher
   * whose source is durable (the outbox relay) awaits it, so consumers that lag hold the relay
   * back instead of filling memory. Kafka keeps its backlog on disk and has none.
   */
  waitForRoom?(topic: string): Promise<void>;
  consume<T = unknown>(options: ConsumeOptions, handler: MessageHandler<T>): Promise<Consumer>;
  consumeBatch<T = unknown>(options: ConsumeOptions, handler: BatchHandler<T>): Promise<Consumer>;
  /**
   * Why this bus cannot make progress right now: one line per consumer that is not a working
   * member of its group (crashed, rebalancing, reconnecting). Empty when every consumer consumes.
   * Readiness reports it, so `/readyz` is false while processing is stalled.
   */
  problems?(): readonly string[];
  /**
   * Only a bus that keeps its messages in memory (in-process) has it: how many published messages
   * some consumer group has not handled yet. Such messages die with the process, so whoever
   * derives them from the log (the outbox relay) moves its checkpoint only when this is 0.
   */
  unhandled?(): number;
  close(): Promise<void>;
}

/** Thrown by a handler for a message that can never be processed: it goes to the DLQ. */
export class PoisonMessageError extends CodedError {
  constructor(readonly reason: string, options?: { cause?: unknown }) {
    super('POISON_MESSAGE', reason, options);
  }
}

/** Publishing to, or consuming from, a topic that `ensureTopics` did not create. */
export class UnknownTopicError extends CodedError {
  constructor(readonly topic: string) {
    super('UNKNOWN_TOPIC', `unknown topic ${topic}: create it with MessageBus.ensureTopics first`);
  }
}

export const DLQ_SUFFIX = '.dlq';
export const dlqTopic = (topic: string): string => `${topic}${DLQ_SUFFIX}`;

/** Headers put on a dead letter. */
export const DLQ_HEADERS = {
  reason: 'chronicle-dlq-reason',
  sourceTopic: 'chronicle-dlq-source-topic',
  sourcePartition: 'chronicle-dlq-source-partition',
  sourceOffset: 'chronicle-dlq-source-offset',
  failedAt: 'chronicle-dlq-failed-at',
} as const;
