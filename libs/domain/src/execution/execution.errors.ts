import { DomainError } from '../shared/domain-error.js';

/** A command for an execution whose stream has no ExecutionCreated. */
export class ExecutionNotFoundError extends DomainError {
  readonly code = 'EXECUTION.NOT_FOUND';

  constructor(readonly executionId: string) {
    super(`execution ${executionId} not found`);
  }
}

/** A command naming a task run the execution does not have. */
export class TaskRunNotFoundError extends DomainError {
  readonly code = 'EXECUTION.TASK_RUN_NOT_FOUND';

  constructor(
    readonly executionId: string,
    readonly taskRunId: string,
  ) {
    super(`execution ${executionId} has no task run ${taskRunId}`);
  }
}

/** The decider needs the execution's flow revision to go on and was not given it (or another one). */
export class FlowRequiredError extends DomainError {
  readonly code = 'EXECUTION.FLOW_REQUIRED';

  constructor(
    readonly executionId: string,
    readonly expected: string,
    readonly given?: string,
  ) {
    super(
      given === undefined
        ? `execution ${executionId} needs flow ${expected} to decide what runs next`
        : `execution ${executionId} runs flow ${expected}, not ${given}`,
    );
  }
}

/** An event that cannot apply to the state it is folded into: a corrupt or foreign stream. */
export class UnexpectedEventError extends DomainError {
  readonly code = 'EXECUTION.UNEXPECTED_EVENT';

  constructor(
    readonly eventType: string,
    readonly reason: string,
  ) {
    super(`cannot apply ${eventType}: ${reason}`);
  }
}

/** The flow's `concurrency.key` cannot be rendered for this execution's inputs. */
export class ConcurrencyKeyError extends DomainError {
  readonly code = 'EXECUTION.CONCURRENCY_KEY';

  constructor(
    readonly flowId: string,
    readonly key: string,
    readonly reason: string,
  ) {
    super(`flow ${flowId}: concurrency key "${key}" cannot be rendered: ${reason}`);
  }
}
