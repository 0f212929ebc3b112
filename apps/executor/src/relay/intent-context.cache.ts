import { toDomainEvent } from '@chronicle/contracts';
import { concurrencyFactsOf, executionIdOfStream, type ConcurrencyFacts, type IntentContext } from '@chronicle/use-cases';
import { evolve, outputsTree, type ExecutionState } from '@chronicle/domain';
import type { EventStore, RecordedEvent } from '@chronicle/event-store';

interface Entry {
  parent?: { readonly executionId: string; readonly taskRunId: string };
  concurrency?: ConcurrencyFacts;
}

/** What the relay keeps of an ExecutionCreated: the parent to tell, the concurrency pool to release. */
const entryOf = (created: RecordedEvent | undefined): Entry => {
  const parent = (created?.data as { parent?: Entry['parent'] } | undefined)?.parent;
  const concurrency = created ? concurrencyFactsOf(created) : undefined;
  return { ...(parent ? { parent } : {}), ...(concurrency ? { concurrency } : {}) };
};

/**
 * What `intentsOf` needs beyond the event: the execution's parent (a child tells its parent
 * it ended, with its task outputs) and its flow's concurrency pool (its end frees a slot).
 * The relay sees every ExecutionCreated pass by, so it remembers both here (bounded, oldest
 * first out) until the execution ends (`forget`): only running executions are held, so memory
 * stays flat however many have run. After a restart, an eviction or a restarted execution's
 * second end it reads the stream's first event. Only a child's end reads its stream (for its
 * task outputs). This keeps `intentsOf` pure and the hot path free of reads.
 */
export class IntentContextCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly store: EventStore, private readonly maxEntries = 100_000) {}

  /** Learns from an event the relay is about to handle. */
  observe(event: RecordedEvent): void {
    if (event.type === 'ExecutionCreated') this.put(executionIdOfStream(event.streamId), entryOf(event));
  }

  async contextOf(event: RecordedEvent): Promise<IntentContext> {
    const executionId = executionIdOfStream(event.streamId);
    const entry = this.entries.get(executionId) ?? (await this.load(event.streamId, executionId));
    const taskOutputs = entry.parent ? await this.taskOutputsOf(event) : undefined;
    return {
      ...(entry.parent ? { parent: entry.parent } : {}),
      ...(taskOutputs ? { taskOutputs } : {}),
      ...(entry.concurrency ? { concurrency: entry.concurrency } : {}),
    };
  }

  /** A child that ended: its task outputs as of that event (one read of its stream, children only). */
  private async taskOutputsOf(event: RecordedEvent) {
    let state: ExecutionState = undefined;
    for (const recorded of await this.store.readStream(event.streamId, { maxCount: Number(event.revision) + 1 })) {
      state = evolve(state, toDomainEvent(recorded));
    }
    return state ? outputsTree(state) : undefined;
  }

  /** The parent and the pool, from the stream's first event (ExecutionCreated). */
  private async load(streamId: string, executionId: string): Promise<Entry> {
    const [created] = await this.store.readStream(streamId, { maxCount: 1 });
    const entry = entryOf(created);
    this.put(executionId, entry);
    return entry;
  }

  /** The execution ended: its entry is no longer needed (a restart's end reads it back). */
  forget(executionId: string): void {
    this.entries.delete(executionId);
  }

  get size(): number {
    return this.entries.size;
  }

  private put(executionId: string, entry: Entry): void {
    this.entries.delete(executionId);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(executionId, entry);
  }
}
