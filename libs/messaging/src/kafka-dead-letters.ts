import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners, type Admin, type IHeaders, type KafkaMessage, type logCreator, type Producer } from 'kafkajs';
import type { DeadLetterRecord, DeadLetterRef, DeadLetterSource } from './dead-letter-store.js';
import { quietKafkaLogCreator } from './kafka-log-creator.js';
import { DLQ_SUFFIX } from './message-bus.port.js';
import { fixKafkajsIdleSpin } from './kafkajs-idle-spin.js';

export interface KafkaDeadLetterSourceOptions {
  readonly brokers: readonly string[];
  readonly clientId?: string;
  readonly logCreator?: logCreator;
  /** Longest a read waits for the records it knows are there (default 15 s). */
  readonly readTimeoutMs?: number;
}

/**
 * Reads `.dlq` topics on demand: the admin client gives each partition's retained range, and a
 * short-lived consumer (a group of its own, no commits, deleted after) reads that range.
 */
export class KafkaDeadLetterSource implements DeadLetterSource {
  private readonly kafka: Kafka;
  private admin?: Promise<Admin>;
  private producer?: Promise<Producer>;

  constructor(private readonly options: KafkaDeadLetterSourceOptions) {
    // Before any connection exists: kafkajs 2.2.4's idle connections spin a 1 ms timer (see there).
    fixKafkajsIdleSpin();
    this.kafka = new Kafka({
      clientId: options.clientId ?? 'chronicle-dead-letters',
      brokers: [...options.brokers],
      connectionTimeout: 3000,
      logLevel: logLevel.WARN,
      logCreator: options.logCreator ?? quietKafkaLogCreator,
    });
  }

  async topics(): Promise<{ topic: string; count: number }[]> {
    const admin = await this.connectedAdmin();
    const topics = (await admin.listTopics()).filter((t) => t.endsWith(DLQ_SUFFIX));
    return Promise.all(topics.map(async (topic) => ({
      topic,
      count: (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(BigInt(p.high) - BigInt(p.low)), 0),
    })));
  }

  async read(topic: string, options: { limit: number; afterOffset?: string }): Promise<DeadLetterRecord[]> {
    const admin = await this.connectedAdmin();
    if (!(await admin.listTopics()).includes(topic)) return [];
    const after = options.afterOffset === undefined ? undefined : BigInt(options.afterOffset);
    const ranges = (await admin.fetchTopicOffsets(topic))
      .map((p) => {
        const low = BigInt(p.low);
        return { partition: p.partition, start: after === undefined || after < low ? low : after + 1n, end: BigInt(p.high) };
      })
      .filter((r) => r.start < r.end);
    return this.consumeRanges(topic, ranges, options.limit);
  }

  async readOne(ref: DeadLetterRef): Promise<DeadLetterRecord | undefined> {
    const admin = await this.connectedAdmin();
    if (!(await admin.listTopics()).includes(ref.topic)) return undefined;
    const partition = (await admin.fetchTopicOffsets(ref.topic)).find((p) => p.partition === ref.partition);
    const offset = BigInt(ref.offset);
    if (!partition || offset < BigInt(partition.low) || offset >= BigInt(partition.high)) return undefined;
    const [record] = await this.consumeRanges(ref.topic, [{ partition: ref.partition, start: offset, end: offset + 1n }], 1);
    return record?.offset === ref.offset ? record : undefined;
  }

  async publishRaw(topic: string, key: string, value: string | null, headers: Readonly<Record<string, string>>): Promise<void> {
    this.producer ??= (async () => {
      const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      return producer;
    })().catch((error: unknown) => {
      this.producer = undefined;
      throw error;
    });
    await (await this.producer).send({ topic, acks: -1, messages: [{ key, value, headers: { ...headers } }] });
  }

  async close(): Promise<void> {
    const [admin, producer] = [this.admin, this.producer];
    this.admin = this.producer = undefined;
    await Promise.all([admin?.then((a) => a.disconnect()), producer?.then((p) => p.disconnect())].map((p) => p?.catch(() => undefined)));
  }

  private connectedAdmin(): Promise<Admin> {
    this.admin ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })().catch((error: unknown) => {
      this.admin = undefined;
      throw error;
    });
    return this.admin;
  }

  /** Reads [start, end) of each partition (at most `limit` records in all) with a throwaway consumer. */
  private async consumeRanges(topic: string, ranges: readonly { partition: number; start: bigint; end: bigint }[], limit: number): Promise<DeadLetterRecord[]> {
    if (ranges.length === 0) return [];
    const groupId = `chronicle-dlq-reader-${randomUUID()}`;
    const consumer = this.kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 50 });
    const records: DeadLetterRecord[] = [];
    const pending = new Map(ranges.map((r) => [r.partition, r]));
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    try {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          const range = pending.get(partition);
          if (!range) return;
          const offset = BigInt(message.offset);
          if (offset < range.start) return;
          if (offset < range.end && records.length < limit) records.push(toRecord(partition, message));
          if (offset >= range.end - 1n) pending.delete(partition);
          if (pending.size === 0 || records.length >= limit) finish();
        },
      });
      for (const range of ranges) consumer.seek({ topic, partition: range.partition, offset: range.start.toString() });
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([finished, new Promise<void>((resolve) => (timer = setTimeout(resolve, this.options.readTimeoutMs ?? 15_000)))]);
      clearTimeout(timer);
    } finally {
      await consumer.disconnect().catch(() => undefined);
      await (await this.connectedAdmin()).deleteGroups([groupId]).catch(() => undefined);
    }
    return records.sort((a, b) => a.partition - b.partition || (BigInt(a.offset) < BigInt(b.offset) ? -1 : 1));
  }
}

function toRecord(partition: number, message: KafkaMessage): DeadLetterRecord {
  return { partition, offset: message.offset, key: message.key?.toString('utf8') ?? '', value: message.value === null ? null : message.value.toString('utf8'), headers: textHeaders(message.headers) };
}

function textHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[name] = first.toString();
  }
  return out;
}
