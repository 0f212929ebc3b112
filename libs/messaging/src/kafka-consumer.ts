import type { Admin, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { Consumer, ConsumeOptions } from './message-bus.port.js';
import { type DeliveryContext, type RecordsProcessor, type HandlerErrorListener, type RawRecord } from './message-delivery.js';
import type { RetryBackoff } from './retry-backoff.js';
import { sleepUnlessAborted } from './retry-backoff.js';

export interface KafkaConsumerSettings {
  readonly kafka: Kafka;
  readonly admin: () => Promise<Admin>;
  readonly deadLetter: DeliveryContext['deadLetter'];
  readonly onError: HandlerErrorListener;
  readonly backoff?: RetryBackoff;
  readonly maxWaitTimeInMs: number;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly partitionsConsumedConcurrently: number;
}

/**
 * A kafkajs consumer group member whose offsets move only past records that are done:
 * handled, or dead-lettered. kafkajs commits the resolved offsets at the end of each batch
 * (and at most every second during a long one).
 */
export async function startKafkaConsumer(
  settings: KafkaConsumerSettings,
  options: ConsumeOptions,
  processRecords: RecordsProcessor,
): Promise<Consumer> {
  const { kafka, maxWaitTimeInMs } = settings;
  const consumer = kafka.consumer({
    groupId: options.groupId,
    maxWaitTimeInMs,
    sessionTimeout: settings.sessionTimeoutMs,
    heartbeatInterval: settings.heartbeatIntervalMs,
    allowAutoTopicCreation: false,
    // Handler failures never reach kafkajs; what does (lost connections, coordinator moves)
    // must not leave the service without a consumer.
    retry: { restartOnFailure: async () => true },
  });
  const stopping = new AbortController();
  const joined = new Promise<void>((resolve) => {
    const off = consumer.on(consumer.events.GROUP_JOIN, () => {
      off();
      resolve();
    });
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [options.topic], fromBeginning: options.fromBeginning ?? true });
  await consumer.run({
    autoCommit: true,
    autoCommitInterval: 1000,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: settings.partitionsConsumedConcurrently,
    eachBatch: async (payload) => processRecords(batchRecords(payload), deliveryContext(settings, payload, stopping.signal), payload.resolveOffset),
  });
  // Resolve once this member has its assignment, so a caller can rely on "consuming now".
  await Promise.race([joined, new Promise<void>((resolve) => stopping.signal.addEventListener('abort', () => resolve()))]);
  return {
    stop: async () => {
      stopping.abort();
      await consumer.disconnect();
    },
    lag: () => groupLag(settings.admin, options),
  };
}

function deliveryContext(settings: KafkaConsumerSettings, payload: EachBatchPayload, signal: AbortSignal): DeliveryContext {
  const alive = () => !signal.aborted && payload.isRunning() && !payload.isStale();
  return {
    alive,
    // kafkajs heartbeats only when asked: sleep in slices and heartbeat between them, so a long
    // backoff does not cost the group membership. A heartbeat that reports a rebalance throws,
    // leaving the record unresolved for whoever owns the partition next.
    pause: async (ms) => {
      const until = Date.now() + ms;
      for (let left = ms; left > 0 && alive(); left = until - Date.now()) {
        await sleepUnlessAborted(Math.min(left, 1000), signal);
        if (alive()) await payload.heartbeat();
      }
    },
    heartbeat: () => payload.heartbeat(),
    deadLetter: settings.deadLetter,
    onError: settings.onError,
    backoff: settings.backoff,
  };
}

function batchRecords({ batch }: EachBatchPayload): RawRecord[] {
  return batch.messages.map((message) => toRawRecord(batch.topic, batch.partition, message));
}

export function toRawRecord(topic: string, partition: number, message: KafkaMessage): RawRecord {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) headers[name] = first.toString();
  }
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString() ?? '',
    value: message.value === null ? null : message.value.toString('utf8'),
    headers,
  };
}

async function groupLag(admin: () => Promise<Admin>, options: ConsumeOptions): Promise<number> {
  const client = await admin();
  const [committed] = await client.fetchOffsets({ groupId: options.groupId, topics: [options.topic] });
  const ends = await client.fetchTopicOffsets(options.topic);
  const byPartition = new Map(committed.partitions.map((p) => [p.partition, Number(p.offset)]));
  return ends.reduce((sum, end) => {
    const done = byPartition.get(end.partition) ?? -1;
    return sum + Number(end.high) - (done >= 0 ? done : Number(end.low));
  }, 0);
}
