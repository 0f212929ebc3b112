import { DLQ_HEADERS, DLQ_SUFFIX, dlqTopic } from './message-bus.port.js';
import { CodedError } from '@chronicle/errors';

/** A message on a `<topic>.dlq` topic: the original key, value and headers, and why it failed. */
export interface DeadLetter {
  /** The dead-letter topic (`<source>.dlq`). */
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string;
  /** The original value as text, exactly as it failed (it may not be JSON). */
  readonly value: string | null;
  /** The original headers, without the dead-letter ones. */
  readonly headers: Readonly<Record<string, string>>;
  readonly reason: string;
  readonly sourceTopic: string;
  readonly sourcePartition?: number;
  readonly sourceOffset?: string;
  readonly failedAt?: string;
  /** Set once the message was sent back to its source topic. */
  readonly redrive?: RedriveRecord;
}

export interface DeadLetterQueue {
  readonly topic: string;
  readonly sourceTopic: string;
  /** Messages the topic retains. */
  readonly count: number;
}

export interface RedriveRecord {
  readonly at: string;
  readonly by: string;
}

export interface DeadLetterPage {
  /** At most this many, from the oldest retained (default 50, at most 500). */
  readonly limit?: number;
  /** Only messages after this offset (of partition 0, or of each partition alike). */
  readonly afterOffset?: string;
}

/** A dead letter's place: its DLQ topic, partition and offset. */
export interface DeadLetterRef {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

export const deadLetterKey = (ref: DeadLetterRef): string => `${ref.topic}/${ref.partition}/${ref.offset}`;

/** Header put on a redriven message: where it came from, so a second failure is traceable. */
export const REDRIVEN_FROM_HEADER = 'chronicle-redriven-from';

/**
 * Where redrives are recorded (Postgres in a deployment), so one dead letter is redriven once
 * even when two operators ask at the same time: `claim` succeeds for exactly one of them.
 */
export interface RedriveLedger {
  claim(ref: DeadLetterRef, by: string): Promise<boolean>;
  /** Undoes a claim whose publish failed. */
  release(ref: DeadLetterRef): Promise<void>;
  lookup(refs: readonly DeadLetterRef[]): Promise<Map<string, RedriveRecord>>;
}

export class InMemoryRedriveLedger implements RedriveLedger {
  private readonly records = new Map<string, RedriveRecord>();
  async claim(ref: DeadLetterRef, by: string): Promise<boolean> {
    if (this.records.has(deadLetterKey(ref))) return false;
    this.records.set(deadLetterKey(ref), { at: new Date().toISOString(), by });
    return true;
  }
  async release(ref: DeadLetterRef): Promise<void> {
    this.records.delete(deadLetterKey(ref));
  }
  async lookup(refs: readonly DeadLetterRef[]): Promise<Map<string, RedriveRecord>> {
    return new Map(refs.flatMap((ref) => (this.records.has(deadLetterKey(ref)) ? [[deadLetterKey(ref), this.records.get(deadLetterKey(ref))!] as const] : [])));
  }
}

/** A raw record of a DLQ topic, as an adapter reads it. */
export interface DeadLetterRecord {
  readonly partition: number;
  readonly offset: string;
  readonly key: string;
  readonly value: string | null;
  readonly headers: Readonly<Record<string, string>>;
}

/** What the bus adapters provide: list DLQ topics, read them, publish a raw value back. */
export interface DeadLetterSource {
  topics(): Promise<{ topic: string; count: number }[]>;
  read(topic: string, options: { limit: number; afterOffset?: string }): Promise<DeadLetterRecord[]>;
  readOne(ref: DeadLetterRef): Promise<DeadLetterRecord | undefined>;
  publishRaw(topic: string, key: string, value: string | null, headers: Readonly<Record<string, string>>): Promise<void>;
  close(): Promise<void>;
}

export class DeadLetterNotFoundError extends CodedError {
  constructor(readonly ref: DeadLetterRef) {
    super('DEAD_LETTER_NOT_FOUND', `no dead letter at ${deadLetterKey(ref)}`);
  }
}

export class AlreadyRedrivenError extends CodedError {
  constructor(readonly ref: DeadLetterRef, readonly record: RedriveRecord) {
    super('DEAD_LETTER_ALREADY_REDRIVEN', `the dead letter ${deadLetterKey(ref)} was redriven already (${record.at} by ${record.by})`);
  }
}

export const MAX_DEAD_LETTER_PAGE = 500;

/** Accepts the DLQ topic or its source topic's name. */
export const asDeadLetterTopic = (topic: string): string => (topic.endsWith(DLQ_SUFFIX) ? topic : dlqTopic(topic));

/**
 * Every dead-letter queue of the bus: listable, inspectable with the reason, and redrivable
 * after a fix. A redrive publishes the original key, value and headers (without the DLQ ones)
 * to the source topic, once: the ledger records it.
 */
export class DeadLetterStore {
  constructor(private readonly source: DeadLetterSource, private readonly ledger: RedriveLedger = new InMemoryRedriveLedger()) {}

  async queues(): Promise<DeadLetterQueue[]> {
    const topics = await this.source.topics();
    return topics
      .map(({ topic, count }) => ({ topic, sourceTopic: topic.slice(0, -DLQ_SUFFIX.length), count }))
      .sort((a, b) => a.topic.localeCompare(b.topic));
  }

  async list(topic: string, page: DeadLetterPage = {}): Promise<DeadLetter[]> {
    const dlq = asDeadLetterTopic(topic);
    const limit = Math.min(MAX_DEAD_LETTER_PAGE, Math.max(1, page.limit ?? 50));
    const records = await this.source.read(dlq, { limit, afterOffset: page.afterOffset });
    const refs = records.map((r) => ({ topic: dlq, partition: r.partition, offset: r.offset }));
    const redrives = await this.ledger.lookup(refs);
    return records.map((record) => toDeadLetter(dlq, record, redrives.get(deadLetterKey({ topic: dlq, ...record }))));
  }

  async get(ref: DeadLetterRef): Promise<DeadLetter | undefined> {
    const dlq = { ...ref, topic: asDeadLetterTopic(ref.topic) };
    const record = await this.source.readOne(dlq);
    if (!record) return undefined;
    return toDeadLetter(dlq.topic, record, (await this.ledger.lookup([dlq])).get(deadLetterKey(dlq)));
  }

  /** Sends the message back to its source topic; refuses a second redrive of the same message. */
  async redrive(ref: DeadLetterRef, by: string): Promise<DeadLetter> {
    const letter = await this.get(ref);
    const dlq = { ...ref, topic: asDeadLetterTopic(ref.topic) };
    if (!letter) throw new DeadLetterNotFoundError(dlq);
    if (letter.redrive) throw new AlreadyRedrivenError(dlq, letter.redrive);
    if (!(await this.ledger.claim(dlq, by))) {
      const record = (await this.ledger.lookup([dlq])).get(deadLetterKey(dlq));
      throw new AlreadyRedrivenError(dlq, record ?? { at: new Date().toISOString(), by: 'another caller' });
    }
    try {
      await this.source.publishRaw(letter.sourceTopic, letter.key, letter.value, { ...letter.headers, [REDRIVEN_FROM_HEADER]: deadLetterKey(dlq) });
    } catch (error) {
      await this.ledger.release(dlq).catch(() => undefined);
      throw error;
    }
    return (await this.get(dlq))!;
  }

  close(): Promise<void> {
    return this.source.close();
  }
}

const DLQ_HEADER_NAMES = new Set<string>(Object.values(DLQ_HEADERS));

function toDeadLetter(topic: string, record: DeadLetterRecord, redrive: RedriveRecord | undefined): DeadLetter {
  const h = record.headers;
  const headers = Object.fromEntries(Object.entries(h).filter(([name]) => !DLQ_HEADER_NAMES.has(name)));
  const sourcePartition = h[DLQ_HEADERS.sourcePartition];
  return {
    topic,
    partition: record.partition,
    offset: record.offset,
    key: record.key,
    value: record.value,
    headers,
    reason: h[DLQ_HEADERS.reason] ?? 'unknown',
    sourceTopic: h[DLQ_HEADERS.sourceTopic] ?? topic.slice(0, -DLQ_SUFFIX.length),
    ...(sourcePartition !== undefined ? { sourcePartition: Number(sourcePartition) } : {}),
    ...(h[DLQ_HEADERS.sourceOffset] !== undefined ? { sourceOffset: h[DLQ_HEADERS.sourceOffset] } : {}),
    ...(h[DLQ_HEADERS.failedAt] !== undefined ? { failedAt: h[DLQ_HEADERS.failedAt] } : {}),
    ...(redrive ? { redrive } : {}),
  };
}
