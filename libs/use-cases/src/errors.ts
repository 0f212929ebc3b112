import { CodedError } from '@chronicle/errors';

/**
 * Errors of the use cases. Like every Chronicle error they extend CodedError and carry a stable
 * code the gateway maps by. An unknown execution is the domain's ExecutionNotFoundError.
 */
export class FlowNotFoundError extends CodedError {
  constructor(readonly namespace: string, readonly flowId: string, readonly revision?: number) {
    super(
      'FLOW_NOT_FOUND',
      revision === undefined
        ? `flow ${namespace}.${flowId} does not exist; deploy it first (deployFlow)`
        : `flow ${namespace}.${flowId} has no revision ${revision}`,
    );
  }
}

/** The flow exists but is disabled: no new execution starts until it is enabled. */
export class FlowDisabledError extends CodedError {
  constructor(readonly namespace: string, readonly flowId: string) {
    super('FLOW_DISABLED', `flow ${namespace}.${flowId} is disabled: enable it (enableFlow) before starting executions`);
  }
}

/** The flow was deleted: deploy it again to start executions. */
export class FlowDeletedError extends CodedError {
  constructor(readonly namespace: string, readonly flowId: string) {
    super('FLOW_NOT_FOUND', `flow ${namespace}.${flowId} was deleted; deploy it again (deployFlow) to start executions`);
  }
}
