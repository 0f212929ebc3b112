/**
 * Errors of the application layer. Codes are stable; the gateway maps them (and the
 * domain's) to GraphQL `extensions.code` and HTTP statuses by their suffix.
 */
export class ApplicationError extends Error {
  constructor(readonly code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class FlowNotFoundError extends ApplicationError {
  constructor(readonly namespace: string, readonly flowId: string, readonly revision?: number) {
    super(
      'FLOW.NOT_FOUND',
      revision === undefined
        ? `flow ${namespace}.${flowId} does not exist; deploy it first (deployFlow)`
        : `flow ${namespace}.${flowId} has no revision ${revision}`,
    );
  }
}

export class ExecutionNotFoundError extends ApplicationError {
  constructor(readonly executionId: string) {
    super('EXECUTION.NOT_FOUND', `execution ${executionId} does not exist`);
  }
}

/** The flow exists but is disabled: no new execution starts until it is enabled. */
export class FlowDisabledError extends ApplicationError {
  constructor(readonly namespace: string, readonly flowId: string) {
    super('FLOW.DISABLED', `flow ${namespace}.${flowId} is disabled: enable it (enableFlow) before starting executions`);
  }
}

/** The flow was deleted: deploy it again to start executions. */
export class FlowDeletedError extends ApplicationError {
  constructor(readonly namespace: string, readonly flowId: string) {
    super('FLOW.NOT_FOUND', `flow ${namespace}.${flowId} was deleted; deploy it again (deployFlow) to start executions`);
  }
}
