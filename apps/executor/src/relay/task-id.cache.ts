import { toDomainEvent } from '@chronicle/contracts';
import { evolve, type ExecutionState } from '@chronicle/domain';
import { executionIdOfStream } from '@chronicle/use-cases';
import type { EventStore, RecordedEvent } from '@chronicle/event-store';

/**
 * The task id of a task run, for the ERROR line of its failure (events about a task run carry
 * only its id). The relay sees every TaskRunCreated pass by before that run's failure, so it
 * remembers them here, per execution (bounded, oldest execution first out), until the execution
 * ends (`forget`): only running executions are held, so memory stays flat however many have run.
 * After a restart, an eviction or a restarted execution it folds the stream up to the failure.
 */
export class TaskIdCache {
  /** Per execution, task run id → task id. */
  private readonly byExecution = new Map<string, Map<string, string>>();

  constructor(private readonly store: EventStore, private readonly maxExecutions = 20_000) {}

  /** Learns from an event the relay is about to handle. */
  observe(event: RecordedEvent): void {
    if (event.type !== 'TaskRunCreated') return;
    const { taskRunId, taskId } = event.data as { taskRunId: string; taskId: string };
    this.remember(executionIdOfStream(event.streamId), taskRunId, taskId);
  }

  /** The task id of the event's task run (undefined if the stream does not know it). */
  async taskIdOf(event: RecordedEvent): Promise<string | undefined> {
    const taskRunId = (event.data as { taskRunId?: string }).taskRunId;
    if (taskRunId === undefined) return undefined;
    const executionId = executionIdOfStream(event.streamId);
    const known = this.byExecution.get(executionId)?.get(taskRunId);
    if (known !== undefined) return known;
    let state: ExecutionState = undefined;
    for (const recorded of await this.store.readStream(event.streamId, { maxCount: Number(event.revision) + 1 })) {
      state = evolve(state, toDomainEvent(recorded));
    }
    // Replayed task runs are restored, not created: the fold knows them all.
    for (const run of state?.taskRuns ?? []) this.remember(executionId, run.id, run.taskId);
    return this.byExecution.get(executionId)?.get(taskRunId);
  }

  /** The execution ended: its task ids are no longer needed (a restarted run's failure folds the stream). */
  forget(executionId: string): void {
    this.byExecution.delete(executionId);
  }

  /** Executions held. */
  get size(): number {
    return this.byExecution.size;
  }

  private remember(executionId: string, taskRunId: string, taskId: string): void {
    let runs = this.byExecution.get(executionId);
    if (!runs) {
      if (this.byExecution.size >= this.maxExecutions) this.byExecution.delete(this.byExecution.keys().next().value!);
      this.byExecution.set(executionId, (runs = new Map()));
    }
    runs.set(taskRunId, taskId);
  }
}
