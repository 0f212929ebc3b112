import type { DeadLetterRecord, DeadLetterRef, DeadLetterSource } from './dead-letter-store.js';
import type { InProcessMessageBus } from './in-process-message-bus.js';
import { DLQ_SUFFIX } from './message-bus.port.js';

/** The dead letters of the in-process bus: what its `.dlq` topics retain (nobody consumes them). */
export class InProcessDeadLetterSource implements DeadLetterSource {
  constructor(private readonly bus: InProcessMessageBus) {}

  async topics(): Promise<{ topic: string; count: number }[]> {
    return this.bus.topicNames().filter((t) => t.endsWith(DLQ_SUFFIX)).map((topic) => ({ topic, count: this.bus.retained(topic).length }));
  }

  async read(topic: string, options: { limit: number; afterOffset?: string }): Promise<DeadLetterRecord[]> {
    if (!this.bus.topicNames().includes(topic)) return [];
    const after = options.afterOffset === undefined ? -1n : BigInt(options.afterOffset);
    return this.bus.retained(topic).filter((r) => BigInt(r.offset) > after).slice(0, options.limit);
  }

  async readOne(ref: DeadLetterRef): Promise<DeadLetterRecord | undefined> {
    if (!this.bus.topicNames().includes(ref.topic)) return undefined;
    return this.bus.retained(ref.topic).find((r) => r.partition === ref.partition && r.offset === ref.offset);
  }

  publishRaw(topic: string, key: string, value: string | null, headers: Readonly<Record<string, string>>): Promise<void> {
    return this.bus.publishRaw(topic, key, value, headers);
  }

  async close(): Promise<void> {}
}
