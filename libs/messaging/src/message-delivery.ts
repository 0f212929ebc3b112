import { errorCodeOf } from '@chronicle/errors';
import { PoisonMessageError, type BatchHandler, type MessageHandler, type ReceivedMessage } from './message-bus.port.js';
import { decodeValue, poisonReason, type Decoded } from './message-codec.js';
import { backoffDelay, type RetryBackoff } from './retry-backoff.js';

/**
 * The delivery rules both adapters share: decode, call the handler, dead-letter poison,
 * retry anything else with backoff until it succeeds or the consumer loses the partition.
 * A record is never skipped: `false` means "abandoned, not done", and the adapter must
 * then leave its offset uncommitted so it is delivered again.
 */
export interface RawRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string;
  /** The value as text; null for a record without a value. */
  readonly value: string | null;
  readonly headers: Readonly<Record<string, string>>;
  /**
   * The value already parsed, deeply frozen (a message published in this process: see
   * jsonCopy): consumers get it instead of parsing the text again.
   */
  readonly parsed?: { readonly value: unknown };
}

export interface HandlerErrorContext {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly attempt: number;
}

export type HandlerErrorListener = (error: unknown, context: HandlerErrorContext) => void;

export interface DeliveryContext {
  /** False once the consumer stops or loses the partition. */
  alive(): boolean;
  /** Waits between attempts (the Kafka adapter heartbeats meanwhile). */
  pause(ms: number): Promise<void>;
  /** Keeps the group membership (Kafka); nothing to do in-process. */
  heartbeat(): Promise<void>;
  deadLetter(record: RawRecord, reason: string): Promise<void>;
  readonly onError: HandlerErrorListener;
  readonly backoff?: RetryBackoff;
}

/**
 * Delivers one partition's records in order, calling `resolve` with the offset of each record
 * that is done (and waiting for it: the Kafka adapter commits progress there); it returns early
 * (leaving the rest unresolved) when the context is no longer alive.
 */
export type RecordsProcessor = (records: readonly RawRecord[], ctx: DeliveryContext, resolve: (offset: string) => void | Promise<void>) => Promise<void>;

/** The processor of `consume`: one record at a time. */
export function oneByOne<T>(handler: MessageHandler<T>, raw = false): RecordsProcessor {
  return async (records, ctx, resolve) => {
    for (const record of records) {
      if (!(await deliverOne(record, handler, ctx, raw))) return;
      // Awaited only when it is a promise (the Kafka adapter's commit): the in-process bus moves
      // its offset at once, and an `await` of nothing costs a promise and a microtask turn per
      // record and consumer group.
      const committed = resolve(record.offset);
      if (committed) await committed;
    }
  };
}

/** The processor of `consumeBatch`: chunks of at most `size`, each resolved as a whole. */
export function inBatches<T>(handler: BatchHandler<T>, size: number, raw = false): RecordsProcessor {
  return async (records, ctx, resolve) => {
    for (let start = 0; start < records.length; start += size) {
      const chunk = records.slice(start, start + size);
      if (!(await deliverBatch(chunk, handler, ctx, raw))) return;
      const committed = resolve(chunk[chunk.length - 1].offset);
      if (committed) await committed;
    }
  };
}

export async function deliverOne<T>(record: RawRecord, handler: MessageHandler<T>, ctx: DeliveryContext, raw = false): Promise<boolean> {
  const decoded = decode(record, raw);
  if (!decoded.ok) return retrying(record, ctx, () => ctx.deadLetter(record, decoded.reason));
  const message = received<T>(record, decoded.value);
  return retrying(record, ctx, async () => {
    try {
      await handler(message);
    } catch (error) {
      if (errorCodeOf(error) !== 'POISON_MESSAGE') throw error;
      await ctx.deadLetter(record, poisonReason(error as PoisonMessageError));
    }
  });
}

/** Hands the decodable records to the handler at once; undecodable ones go to the DLQ first. */
export async function deliverBatch<T>(records: readonly RawRecord[], handler: BatchHandler<T>, ctx: DeliveryContext, raw = false): Promise<boolean> {
  const good: { record: RawRecord; message: ReceivedMessage<T> }[] = [];
  for (const record of records) {
    const decoded = decode(record, raw);
    if (decoded.ok) good.push({ record, message: received<T>(record, decoded.value) });
    else if (!(await retrying(record, ctx, () => ctx.deadLetter(record, decoded.reason)))) return false;
  }
  if (good.length === 0) return true;
  let poisoned = false;
  const control = { alive: () => ctx.alive(), heartbeat: () => ctx.heartbeat() };
  const done = await retrying(good[0].record, ctx, async () => {
    try {
      await handler(good.map((g) => g.message), control);
    } catch (error) {
      if (errorCodeOf(error) !== 'POISON_MESSAGE') throw error;
      poisoned = true;
    }
  });
  if (!done || !poisoned) return done;
  // The batch was rejected but the error cannot say which record is at fault: hand them over
  // one at a time so only the rejected ones go to the DLQ.
  for (const { record } of good) {
    if (!(await deliverOne<T>(record, (message) => handler([message], control), ctx, raw))) return false;
  }
  return true;
}

async function retrying(record: RawRecord, ctx: DeliveryContext, attempt: () => Promise<void>): Promise<boolean> {
  for (let n = 1; ; n++) {
    if (!ctx.alive()) return false;
    try {
      await attempt();
      return true;
    } catch (error) {
      ctx.onError(error, { topic: record.topic, partition: record.partition, offset: record.offset, attempt: n });
    }
    if (!ctx.alive()) return false;
    await ctx.pause(backoffDelay(n, ctx.backoff));
  }
}

function received<T>(record: RawRecord, value: unknown): ReceivedMessage<T> {
  return {
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    key: record.key,
    value: value as T,
    headers: record.headers,
  };
}

/** Raw consumers take the text as it is (an absent value becomes ""); the others get parsed JSON. */
function decode(record: RawRecord, raw: boolean): Decoded {
  if (raw) return { ok: true, value: record.value ?? '' };
  return record.parsed !== undefined ? { ok: true, value: record.parsed.value } : decodeValue(record.value);
}
