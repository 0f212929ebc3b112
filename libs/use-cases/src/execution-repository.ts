import { evolve, executionStreamId, type Execution, type ExecutionState } from '@chronicle/domain';
import type { EventStore } from '@chronicle/event-store';
import { toDomainEvent } from '@chronicle/contracts';

/** Loads an execution by folding its stream (the source of truth). */
export class ExecutionRepository {
  constructor(private readonly store: EventStore) {}

  async load(executionId: string, upToRevision?: number): Promise<ExecutionState> {
    const events = await this.store.readStream(executionStreamId(executionId), upToRevision === undefined ? {} : { maxCount: upToRevision + 1 });
    let state: ExecutionState = undefined;
    for (const recorded of events) state = evolve(state, toDomainEvent(recorded));
    return state;
  }

  /** Brings a cached state up to date by folding only the events after its revision. */
  async refresh(state: Execution): Promise<Execution> {
    const newer = await this.store.readStream(executionStreamId(state.id), { fromRevision: BigInt(state.revision + 1) });
    let current: ExecutionState = state;
    for (const recorded of newer) current = evolve(current, toDomainEvent(recorded));
    return current!;
  }
}
