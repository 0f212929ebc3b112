import { CodedError } from '@chronicle/errors';

/** An execution that does not exist (or that the caller may not see): the one such error of every layer. */
export class ExecutionNotFoundError extends CodedError {
  constructor(readonly executionId: string) {
    super('EXECUTION_NOT_FOUND', `execution ${executionId} does not exist`);
  }
}

/**
 * What a flow's task (WaitForExecution, Resume) is told of a target execution that does not
 * exist, and of one in a namespace it may not reach: the same words, so a flow cannot tell
 * another namespace's execution ids (nor their namespace or state) from ids of nothing.
 */
export const noExecutionToWatch = (executionId: string): string => `execution ${executionId} does not exist`;
export const noExecutionToResume = (executionId: string): string => `No execution found for execution id ${executionId}`;

/** A command naming a task run the execution does not have. */
export class TaskRunNotFoundError extends CodedError {
  constructor(
    readonly executionId: string,
    readonly taskRunId: string,
  ) {
    super('TASK_RUN_NOT_FOUND', `execution ${executionId} has no task run ${taskRunId}`);
  }
}

/** The decider needs the execution's flow revision to go on and was not given it (or another one). */
export class FlowRequiredError extends CodedError {
  constructor(
    readonly executionId: string,
    readonly expected: string,
    readonly given?: string,
  ) {
    super(
      'FLOW_REQUIRED',
      given === undefined
        ? `execution ${executionId} needs flow ${expected} to decide what runs next`
        : `execution ${executionId} runs flow ${expected}, not ${given}`,
    );
  }
}

/** An event that cannot apply to the state it is folded into: a corrupt or foreign stream. */
export class UnexpectedEventError extends CodedError {
  constructor(
    readonly eventType: string,
    readonly reason: string,
  ) {
    super('UNEXPECTED_EVENT', `cannot apply ${eventType}: ${reason}`);
  }
}

/** The flow's `concurrency.key` cannot be rendered for this execution's inputs. */
export class ConcurrencyKeyError extends CodedError {
  constructor(
    readonly flowId: string,
    readonly key: string,
    readonly reason: string,
  ) {
    super('CONCURRENCY_KEY_INVALID', `flow ${flowId}: concurrency key "${key}" cannot be rendered: ${reason}`);
  }
}
