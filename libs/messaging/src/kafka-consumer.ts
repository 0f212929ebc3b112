import type { Admin, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { Consumer, ConsumeOptions } from './message-bus.port.js';
import { type DeliveryContext, type RecordsProcessor, type HandlerErrorListener, type RawRecord } from './message-delivery.js';
import type { RetryBackoff } from './retry-backoff.js';
import { sleepUnlessAborted } from './retry-backoff.js';
import { ConsumerReplacer } from './consumer-replacer.js';

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
 * handled, or dead-lettered. Resolved offsets are committed at most every second during a batch
 * and at its end.
 */
export async function startKafkaConsumer(
  settings: KafkaConsumerSettings,
  options: ConsumeOptions,
  processRecords: RecordsProcessor,
): Promise<KafkaGroupMember> {
  const stopping = new AbortController();
  const log = settings.kafka.logger();
  let member = false; // true between a GROUP_JOIN and the next crash, disconnect or stop
  let problem: string | undefined = 'not joined yet';
  // Partitions whose handler keeps failing (the same record retried): the member is in its group
  // but makes no progress there, which readiness must say (a deterministic failure once blocked a
  // commands partition for good while /readyz said ready).
  const failing = new Map<number, { readonly offset: string; readonly attempt: number; readonly error: string }>();
  const onError: HandlerErrorListener = (error, context) => {
    failing.set(context.partition, { offset: context.offset, attempt: context.attempt, error: error instanceof Error ? error.message : String(error) });
    settings.onError(error, context);
  };

  const replacer: ConsumerReplacer<KafkaConsumer> = new ConsumerReplacer<KafkaConsumer>(
    {
      create: () => {
        const consumer = settings.kafka.consumer({
          groupId: options.groupId,
          maxWaitTimeInMs: settings.maxWaitTimeInMs,
          sessionTimeout: settings.sessionTimeoutMs,
          heartbeatInterval: settings.heartbeatIntervalMs,
          // A dead member's partitions wait for its session to time out, but a rebalance waits only
          // for the live members, which rejoin on their next heartbeat.
          rebalanceTimeout: Math.max(settings.sessionTimeoutMs, 10_000),
          allowAutoTopicCreation: false,
          // Reconnect quickly once the broker is back (kafkajs's default backoff grows to 30 s).
          // More retries would not keep the member through a broker restart: kafkajs drops a broker
          // whose connection closed, and with a single broker the fetch loop then gives up at once
          // ("No broker available") and restarts the consumer as a new member. The restarted
          // broker loads each group with its old members and holds the new ones in a rebalance
          // until the old sessions time out: that session, not this backoff, is most of the time
          // to resume after a broker restart (kafkajs has no static membership to avoid it).
          retry: { initialRetryTime: 100, maxRetryTime: 1000, retries: 10, restartOnFailure: async () => true },
        });
        // Only the current instance speaks for the member: a replaced one's late DISCONNECT must
        // not mark the new one as gone.
        const isCurrent = () => replacer.current === consumer;
        consumer.on(consumer.events.GROUP_JOIN, () => {
          if (!isCurrent()) return;
          member = true;
          problem = undefined;
          // A new assignment: what failed on partitions of the old one is for their new owner to say.
          failing.clear();
        });
        consumer.on(consumer.events.CRASH, ({ payload }) => {
          if (!isCurrent()) return;
          member = false;
          problem = `consumer crashed: ${payload.error.message}`;
          if (payload.restart || stopping.signal.aborted) return;
          log.warn(`consumer crashed and kafkajs will not restart it; replacing it: ${payload.error.message}`, { groupId: options.groupId, topic: options.topic });
          replacer.replace(consumer);
        });
        consumer.on(consumer.events.DISCONNECT, () => {
          if (!isCurrent()) return;
          member = false;
          problem ??= 'disconnected';
        });
        consumer.on(consumer.events.REBALANCING, () => {
          if (!isCurrent()) return;
          member = false;
          problem = 'rebalancing';
        });
        return consumer;
      },
      start: async (consumer) => {
        await consumer.connect();
        await consumer.subscribe({ topics: [options.topic], fromBeginning: options.fromBeginning ?? true });
        await consumer.run({
          autoCommit: true,
          autoCommitInterval: 1000,
          eachBatchAutoResolve: false,
          partitionsConsumedConcurrently: settings.partitionsConsumedConcurrently,
          eachBatch: async (payload) => {
            const membership = keepMembership(payload, settings.heartbeatIntervalMs);
            const resolve = async (offset: string) => {
              failing.delete(payload.batch.partition);
              payload.resolveOffset(offset);
              // Progress is committed as it is made (at most every autoCommitInterval), not only
              // at the end of the batch: a member that loses the partition mid-batch hands it over
              // from here. Committing only at the end, a backlog longer than the session (after a
              // broker restart, on a busy machine) was processed again and again, never committed.
              await payload.commitOffsetsIfNecessary();
            };
            try {
              await processRecords(batchRecords(payload), deliveryContext({ ...settings, onError }, payload, stopping.signal, membership.lost), resolve);
            } finally {
              membership.stop();
            }
          },
        });
      },
      // disconnect() sends LeaveGroup: the others take the partitions over at once, instead of
      // after this member's session timeout.
      dispose: (consumer) => consumer.disconnect(),
    },
    1000,
    (error) => {
      problem = `consumer restart failed: ${error instanceof Error ? error.message : String(error)}`;
      log.warn(`consumer could not be replaced; trying again in 1 s: ${problem}`, { groupId: options.groupId, topic: options.topic });
    },
  );

  await replacer.start();
  // Resolve once this member has its assignment, so a caller can rely on "consuming now".
  await new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      if (member || stopping.signal.aborted) {
        clearInterval(poll);
        resolve();
      }
    }, 20);
  });
  return {
    stop: async () => {
      stopping.abort();
      member = false;
      problem = 'stopped';
      await replacer.stop();
    },
    lag: () => groupLag(settings.admin, options),
    problem: () => {
      if (!member) return `${options.groupId} on ${options.topic}: ${problem ?? 'not a group member'}`;
      const stuck = [...failing].filter(([, f]) => f.attempt >= FAILING_ATTEMPTS_NOT_READY);
      if (stuck.length === 0) return undefined;
      return `${options.groupId} on ${options.topic}: the handler keeps failing (${stuck.map(([p, f]) => `partition ${p} at offset ${f.offset}, attempt ${f.attempt}: ${f.error}`).join('; ')})`;
    },
  };
}

type KafkaConsumer = ReturnType<Kafka['consumer']>;

/** A record retried this many times in a row makes the member report a problem (readiness). */
const FAILING_ATTEMPTS_NOT_READY = 3;

/** A consumer that also says whether it is a working member of its group right now. */
export interface KafkaGroupMember extends Consumer {
  /** Why this member is not consuming now (crashed, rebalancing, not joined), or undefined. */
  problem(): string | undefined;
}

/**
 * Heartbeats while a batch is being processed, as the Java client's background thread does.
 * kafkajs heartbeats only between batches (or when the handler asks): a batch that took longer than
 * the session timeout (a backlog after a broker restart on a busy machine, a slow handler) cost the
 * member its partitions mid-batch, and its work on them was lost. A heartbeat that reports a
 * rebalance ends the batch at the next record, leaving the rest to the partition's next owner.
 */
function keepMembership(payload: EachBatchPayload, intervalMs: number): { lost: () => boolean; stop: () => void } {
  let lost = false;
  let beating = false;
  const timer = setInterval(() => {
    if (beating || lost) return;
    beating = true;
    payload
      .heartbeat()
      .catch(() => {
        lost = true;
      })
      .finally(() => {
        beating = false;
      });
  }, intervalMs);
  return { lost: () => lost, stop: () => clearInterval(timer) };
}

function deliveryContext(settings: KafkaConsumerSettings, payload: EachBatchPayload, signal: AbortSignal, membershipLost: () => boolean): DeliveryContext {
  const alive = () => !signal.aborted && !membershipLost() && payload.isRunning() && !payload.isStale();
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
