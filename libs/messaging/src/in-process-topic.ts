import { sleepUnlessAborted } from './retry-backoff.js';
import type { DeliveryContext, RawRecord, RecordsProcessor } from './message-delivery.js';
import { encodeValue } from './message-codec.js';

export interface Member {
  readonly processor: RecordsProcessor;
  readonly context: Omit<DeliveryContext, 'alive' | 'pause' | 'heartbeat'>;
}

interface Partition {
  /** Offset of records[0]: records every group has committed are dropped. */
  base: number;
  readonly records: RawRecord[];
}

interface Group {
  /** Next offset to deliver, per partition. */
  readonly committed: number[];
  readonly members: Member[];
  workers: PartitionWorker[];
  /** Rebalances of one group run one after the other. */
  rebalancing: Promise<void>;
}

/**
 * One topic of the in-process bus: a partitioned log kept in memory, and consumer groups
 * whose members own partitions the way Kafka assigns them. Workers wait on a promise that
 * `append` resolves: delivery is pushed, never polled.
 */
export class InProcessTopic {
  private readonly partitions: Partition[];
  private readonly groups = new Map<string, Group>();
  /** Publishers waiting for the topic to hold fewer than `maxRetained` records (see waitForRoom). */
  private roomWaiters: Array<() => void> = [];

  constructor(readonly name: string, partitionCount: number, private readonly maxRetained = Infinity) {
    this.partitions = Array.from({ length: partitionCount }, () => ({ base: 0, records: [] }));
  }

  get partitionCount(): number {
    return this.partitions.length;
  }

  /** A value as text (or none), or one parsed already (see RawRecord.parsed), whose text is made when first read. */
  append(key: string, value: string | null | { readonly value: unknown }, headers: Readonly<Record<string, string>>): void {
    const partition = partitionFor(key, this.partitions.length);
    const log = this.partitions[partition];
    const offset = String(log.base + log.records.length);
    log.records.push(value === null || typeof value === 'string' ? { topic: this.name, partition, offset, key, value, headers } : parsedRecord(this.name, partition, offset, key, value, headers));
    for (const group of this.groups.values()) group.workers.find((w) => w.partition === partition)?.wake();
  }

  /** Records held in memory, all partitions. */
  get retainedCount(): number {
    let n = 0;
    for (const p of this.partitions) n += p.records.length;
    return n;
  }

  /**
   * Resolves once the topic holds fewer than its ceiling: a publisher that can wait (the relay,
   * whose source is the durable log) stops adding while consumers lag, so memory stays bounded.
   * Never waits on a topic that a group without members holds back (nothing would trim it).
   */
  waitForRoom(): Promise<void> {
    if (this.retainedCount < this.maxRetained || !this.trimmable()) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  private trimmable(): boolean {
    if (this.groups.size === 0) return false;
    for (const group of this.groups.values()) if (group.members.length === 0) return false;
    return true;
  }

  private releaseRoomWaiters(): void {
    if (this.roomWaiters.length === 0 || (this.retainedCount >= this.maxRetained && this.trimmable())) return;
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Every retained record, partition by partition (inspection and tests). */
  retained(): readonly RawRecord[] {
    return this.partitions.flatMap((p) => p.records);
  }

  async join(groupId: string, member: Member, fromBeginning: boolean): Promise<void> {
    let group = this.groups.get(groupId);
    if (!group) {
      const committed = this.partitions.map((p) => (fromBeginning ? p.base : p.base + p.records.length));
      group = { committed, members: [], workers: [], rebalancing: Promise.resolve() };
      this.groups.set(groupId, group);
    }
    group.members.push(member);
    await this.rebalance(group);
  }

  async leave(groupId: string, member: Member): Promise<void> {
    const group = this.groups.get(groupId);
    if (!group || !group.members.includes(member)) return;
    group.members.splice(group.members.indexOf(member), 1);
    // A group left without members no longer trims: publishers waiting for room go on.
    this.releaseRoomWaiters();
    await this.rebalance(group);
  }

  /** Records some group with members has not handled yet (a group nobody consumes in waits for no one). */
  unhandled(): number {
    let count = 0;
    for (const [groupId, group] of this.groups) if (group.members.length > 0) count += this.lag(groupId);
    return count;
  }

  lag(groupId: string): number {
    const group = this.groups.get(groupId);
    return this.partitions.reduce((sum, p, i) => sum + p.base + p.records.length - (group ? group.committed[i] : p.base), 0);
  }

  /** Stops the current owners (after their record in flight), then hands partitions out round-robin. */
  private rebalance(group: Group): Promise<void> {
    group.rebalancing = group.rebalancing.then(async () => {
      const previous = group.workers;
      group.workers = [];
      await Promise.all(previous.map((w) => w.stop()));
      if (group.members.length === 0) return;
      group.workers = this.partitions.map((_, i) => new PartitionWorker(i, group.members[i % group.members.length], group, this));
      for (const worker of group.workers) worker.start();
    });
    return group.rebalancing;
  }

  pending(partition: number, from: number): readonly RawRecord[] {
    const log = this.partitions[partition];
    return log.records.slice(Math.max(0, from - log.base));
  }

  /** Drops the records every group has committed. */
  trim(partition: number): void {
    const log = this.partitions[partition];
    let low = Infinity;
    for (const group of this.groups.values()) low = Math.min(low, group.committed[partition]);
    const drop = low - log.base;
    if (drop > 0 && (drop >= 1024 || drop === log.records.length)) {
      log.records.splice(0, drop);
      log.base = low;
    }
    this.releaseRoomWaiters();
  }
}

class PartitionWorker {
  private active = true;
  private readonly stopping = new AbortController();
  private wakeUp?: () => void;
  private running?: Promise<void>;

  constructor(
    readonly partition: number,
    private readonly member: Member,
    private readonly group: Group,
    private readonly topic: InProcessTopic,
  ) {}

  start(): void {
    this.running = this.run();
  }

  wake(): void {
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.active = false;
    this.stopping.abort();
    this.wake();
    await this.running;
  }

  private async run(): Promise<void> {
    const context: DeliveryContext = {
      ...this.member.context,
      alive: () => this.active,
      pause: (ms) => sleepUnlessAborted(ms, this.stopping.signal),
      heartbeat: async () => undefined,
    };
    const resolve = (offset: string) => {
      this.group.committed[this.partition] = Number(offset) + 1;
    };
    while (this.active) {
      const records = this.topic.pending(this.partition, this.group.committed[this.partition]);
      if (records.length === 0) {
        await new Promise<void>((wake) => (this.wakeUp = wake));
        this.wakeUp = undefined;
        continue;
      }
      await this.member.processor(records, context, resolve);
      this.topic.trim(this.partition);
    }
  }
}

/** A record of a value published in this process: its text is made only if read (a raw consumer, a dead letter, an inspection). */
function parsedRecord(topic: string, partition: number, offset: string, key: string, parsed: { readonly value: unknown }, headers: Readonly<Record<string, string>>): RawRecord {
  let text: string | undefined;
  return {
    topic,
    partition,
    offset,
    key,
    headers,
    parsed,
    get value() {
      return (text ??= encodeValue(parsed.value));
    },
  };
}

/** FNV-1a: a stable key to partition mapping (keys with the same hash share one order). */
export function partitionFor(key: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % partitions;
}
