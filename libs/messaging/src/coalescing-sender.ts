/**
 * Coalesces publishes into as few produce requests as it can, without adding latency when idle.
 *
 * kafkajs has no `linger.ms`: each `send` is its own produce request, and the idempotent producer
 * allows one request in flight per broker, so under load every publish waited behind the one
 * before it, each a small request and a few syscalls (the profile of distributed mode at
 * 3000/min spent a third of the executor's busy time in socket writes). This is the Nagle-style
 * answer: a publish made while a request is in flight joins the next one, so an idle system sends
 * at once and a busy one sends as many messages per request as arrived during the last round trip.
 *
 * Order holds: entries leave in the order they were queued, and one request keeps the order of
 * each topic's messages. A failed request fails every publish it carried; when it carried more
 * than one, each is retried alone, so one publish's error (an unknown topic) is not another's.
 */
export interface OutgoingMessage {
  readonly key: string;
  readonly value: string;
  readonly headers?: Record<string, string>;
}

export interface TopicMessages {
  readonly topic: string;
  readonly messages: OutgoingMessage[];
}

export type SendRequest = (batch: readonly TopicMessages[]) => Promise<void>;

interface QueuedPublish {
  readonly topic: string;
  readonly messages: readonly OutgoingMessage[];
  readonly bytes: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** Below Kafka's default `message.max.bytes` (1 MiB) with room for the batch framing. */
export const DEFAULT_MAX_REQUEST_BYTES = 900 * 1024;

export class CoalescingSender {
  private queue: QueuedPublish[] = [];
  private flushing = false;

  constructor(
    private readonly send: SendRequest,
    private readonly maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES,
  ) {}

  publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ topic, messages, bytes: sizeOf(messages), resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // Publishes made in the same tick (a worker's logs and its report) share the first request.
        queueMicrotask(() => void this.flush());
      }
    });
  }

  /** Publishes queued and not yet settled (for diagnostics and tests). */
  get pending(): number {
    return this.queue.length;
  }

  private async flush(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const request = this.takeRequest();
        try {
          await this.send(grouped(request));
          for (const entry of request) entry.resolve();
        } catch (error) {
          if (request.length === 1) request[0]!.reject(error);
          else await this.sendAlone(request);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /** The oldest queued publishes, up to the request size limit (always at least one). */
  private takeRequest(): QueuedPublish[] {
    let bytes = 0;
    let count = 0;
    while (count < this.queue.length && (count === 0 || bytes + this.queue[count]!.bytes <= this.maxRequestBytes)) {
      bytes += this.queue[count]!.bytes;
      count += 1;
    }
    return this.queue.splice(0, count);
  }

  private async sendAlone(request: readonly QueuedPublish[]): Promise<void> {
    for (const entry of request) {
      try {
        await this.send([{ topic: entry.topic, messages: [...entry.messages] }]);
        entry.resolve();
      } catch (error) {
        entry.reject(error);
      }
    }
  }
}

/** One entry per topic, in order of first appearance, each topic's messages in queue order. */
function grouped(request: readonly QueuedPublish[]): TopicMessages[] {
  const byTopic = new Map<string, OutgoingMessage[]>();
  for (const entry of request) {
    const messages = byTopic.get(entry.topic);
    if (messages) messages.push(...entry.messages);
    else byTopic.set(entry.topic, [...entry.messages]);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

function sizeOf(messages: readonly OutgoingMessage[]): number {
  let bytes = 0;
  for (const m of messages) {
    bytes += Buffer.byteLength(m.value) + m.key.length + 32;
    if (m.headers) for (const [k, v] of Object.entries(m.headers)) bytes += k.length + v.length;
  }
  return bytes;
}
