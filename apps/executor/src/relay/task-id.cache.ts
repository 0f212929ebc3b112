import { toDomainEvent } from '@chronicle/contracts';
import { evolve, type ExecutionState } from '@chronicle/domain';
import type { EventStore, RecordedEvent } from '@chronicle/event-store';

/**
 * The task id of a task run, for the ERROR line of its failure (events about a task run carry
 * only its id). The relay sees every TaskRunCreated pass by before that run's failure, so it
 * remembers them here (bounded, oldest first out); after a restart or an eviction it folds the
 * stream up to the failure.
 */
export class TaskIdCache {
  private readonly taskIds = new Map<string, string>();

  constructor(private readonly store: EventStore, private readonly maxEntries = 100_000) {}

  /** Learns from an event the relay is about to handle. */
  observe(event: RecordedEvent): void {
    if (event.type !== 'TaskRunCreated') return;
    const { taskRunId, taskId } = event.data as { taskRunId: string; taskId: string };
    this.remember(taskRunId, taskId);
  }

  /** The task id of the event's task run (undefined if the stream does not know it). */
  async taskIdOf(event: RecordedEvent): Promise<string | undefined> {
    const taskRunId = (event.data as { taskRunId?: string }).taskRunId;
    if (taskRunId === undefined) return undefined;
    const known = this.taskIds.get(taskRunId);
    if (known !== undefined) return known;
    let state: ExecutionState = undefined;
    for (const recorded of await this.store.readStream(event.streamId, { maxCount: Number(event.revision) + 1 })) {
      state = evolve(state, toDomainEvent(recorded));
    }
    // Replayed task runs are restored, not created: the fold knows them all.
    for (const run of state?.taskRuns ?? []) this.remember(run.id, run.taskId);
    return this.taskIds.get(taskRunId);
  }

  private remember(taskRunId: string, taskId: string): void {
    if (this.taskIds.size >= this.maxEntries && !this.taskIds.has(taskRunId)) this.taskIds.delete(this.taskIds.keys().next().value!);
    this.taskIds.set(taskRunId, taskId);
  }
}
