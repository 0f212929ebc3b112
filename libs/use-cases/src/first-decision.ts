import type { Execution } from '@chronicle/domain';
import type { EventData, RecordedEvent } from '@chronicle/event-store';

/**
 * A new execution's first step (its start and the local tasks that follow) decided by an executor
 * in this process, and written in the same append as its creation: one write instead of two, and
 * no trip through the log and the bus before the executor sees it. The usual way (the relay sends
 * AdvanceExecution for the ExecutionCreated) stays for everything this does not decide.
 */
export interface FirstDecision {
  /**
   * The events of the first step on the just-created state, or undefined when the start must go
   * the usual way. `state` is the execution after them (ended, when every task was local);
   * `settle` is called once they are written (the executor keeps the state).
   */
  decideFirst(created: Execution): Promise<{ readonly events: readonly EventData[]; readonly state: Execution; settle(): void } | undefined>;
}

/** ExecutionCreated's metadata key: true when the same append holds the first step (the relay sends no AdvanceExecution for it). */
export const FIRST_STEP_WRITTEN = 'firstStepWritten';

export const firstStepWritten = (event: RecordedEvent | EventData): boolean => event.metadata?.[FIRST_STEP_WRITTEN] === true;

/**
 * Where the executor of this process offers its first decisions (standalone: the gateway's starts
 * use it); empty in a process without an executor, and then every start goes the usual way.
 */
export class LocalFirstDecision implements FirstDecision {
  private decider?: FirstDecision;

  bind(decider: FirstDecision | undefined): void {
    this.decider = decider;
  }

  get bound(): boolean {
    return this.decider !== undefined;
  }

  decideFirst(created: Execution): ReturnType<FirstDecision['decideFirst']> {
    return this.decider ? this.decider.decideFirst(created) : Promise.resolve(undefined);
  }
}

/**
 * The executor of this process while one is bound (standalone: it keeps the state it decided, so
 * its next command reads nothing back), else `own`: a process without an executor decides the
 * first step itself (FirstStepDecider), so a start is one append in the distributed mode too.
 */
export function boundOr(local: LocalFirstDecision, own: FirstDecision): FirstDecision {
  return { decideFirst: (created) => (local.bound ? local.decideFirst(created) : own.decideFirst(created)) };
}
