import type { CreateRetryExecutionMessage, ExecutionCreationMessage, StartChildExecutionMessage } from '@chronicle/contracts';
import { createExecution, type CreateExecutionDeps } from '@chronicle/use-cases';
import { mayStartFlowIn, type ExecutionCommand, type NamespaceAllowRule } from '@chronicle/domain';
import type { BusMessage } from '@chronicle/messaging';
import type { Logger } from '@chronicle/runtime';
import { CodedError, isRefusal } from '@chronicle/errors';
import { commandMessage, type BusCommand } from '@chronicle/contracts';

export interface CreationOutcome {
  /** Commands to send because the creation could not happen (the parent must learn its child failed). */
  readonly replies: BusMessage[];
  /** Messages that can never succeed, with the reason (dead-lettered). */
  readonly rejected: Array<{ readonly message: ExecutionCreationMessage; readonly reason: string }>;
}

/**
 * Creates the executions other executions asked for: a Subflow's child (StartChildExecution)
 * and a flow retry's new execution (CreateRetryExecution). The ids come from the request, so
 * createExecution's NO_STREAM append makes a redelivered message a no-op. A child that
 * cannot be created (unknown or disabled flow, bad inputs) ends its parent's Subflow task
 * run: the parent is told its child FAILED, with the reason.
 */
export class ExecutionCreationHandler {
  constructor(
    private readonly deps: CreateExecutionDeps,
    private readonly logger: Logger,
    /** CHRONICLE_NAMESPACE_ALLOW: where a Subflow may start flows beyond its own namespace and children. */
    private readonly namespaceAllow: readonly NamespaceAllowRule[] = [],
  ) {}

  async handle(messages: readonly ExecutionCreationMessage[]): Promise<CreationOutcome> {
    const outcome: CreationOutcome = { replies: [], rejected: [] };
    for (const message of messages) {
      try {
        if (message.type === 'StartChildExecution') await this.startChild(message);
        else await this.createRetry(message);
      } catch (error) {
        if (!isRefusal(error)) throw error;
        this.logger.warn({ type: message.type, reason: error.message }, 'execution could not be created');
        if (message.type === 'StartChildExecution') outcome.replies.push(childFailed(message, error.message, this.deps.clock.now()));
        else outcome.rejected.push({ message, reason: error.message });
      }
    }
    return outcome;
  }

  private async startChild(m: StartChildExecutionMessage): Promise<void> {
    // The domain wrote the parent's namespace into the child's trigger from the parent's own state.
    const caller = String((m.trigger.variables as { namespace?: unknown } | undefined)?.namespace ?? '');
    if (!mayStartFlowIn(caller, m.namespace, this.namespaceAllow)) throw new SubflowNamespaceForbiddenError(caller, m.namespace);
    const { created } = await createExecution(this.deps, {
      executionId: m.childExecutionId,
      namespace: m.namespace,
      flowId: m.flowId,
      ...(m.revision !== undefined ? { revision: m.revision } : {}),
      inputs: m.inputs,
      labels: m.labels,
      trigger: m.trigger,
      parentId: m.parentExecutionId,
      parent: { executionId: m.parentExecutionId, taskRunId: m.taskRunId },
      actor: `subflow:${m.parentExecutionId}`,
      ...((m.trigger.variables as { mode?: unknown } | undefined)?.mode === 'DEVELOPMENT' ? { options: { mode: 'DEVELOPMENT' as const } } : {}),
      // A RunWrapped child: the wrapped start's options, the layers inside it, not wrapped again.
      ...(m.options !== undefined ? { options: m.options } : {}),
      ...(m.wrapped !== undefined ? { wrapped: m.wrapped } : {}),
      ...(m.unwrapped === true ? { unwrapped: true } : {}),
    });
    if (created) this.logger.debug({ parent: m.parentExecutionId, child: m.childExecutionId }, 'child execution created');
  }

  private async createRetry(m: CreateRetryExecutionMessage): Promise<void> {
    // A retried child stays a child: the new execution reports to the same parent.
    const retried = await this.deps.executions.load(m.retriedExecutionId);
    await createExecution(this.deps, {
      executionId: m.newExecutionId,
      namespace: m.namespace,
      flowId: m.flowId,
      revision: m.flowRevision,
      inputs: m.inputs,
      labels: m.labels,
      originalId: m.originalId,
      attemptNumber: m.attemptNumber,
      // A retry's maxDuration counts from the chain's first execution.
      ...(retried !== undefined ? { originalCreatedDate: retried.originalCreatedDate ?? retried.startDate } : {}),
      ...(retried?.trigger ? { trigger: retried.trigger } : {}),
      ...(retried?.parentId ? { parentId: retried.parentId } : {}),
      ...(retried?.parent ? { parent: retried.parent } : {}),
      actor: `retry:${m.retriedExecutionId}`,
    });
  }
}

export class SubflowNamespaceForbiddenError extends CodedError {
  constructor(caller: string, target: string) {
    super(
      'SUBFLOW_NAMESPACE_FORBIDDEN',
      `a flow of namespace ${caller} may not start a flow in namespace ${target}: only its own namespace, its children, or one allowed by CHRONICLE_NAMESPACE_ALLOW (e.g. ${caller}->${target})`,
    );
  }
}

function childFailed(m: StartChildExecutionMessage, reason: string, now: string): BusMessage {
  const command = {
    type: 'ChildExecutionEnded',
    executionId: m.parentExecutionId,
    childExecutionId: m.childExecutionId,
    taskRunId: m.taskRunId,
    state: 'FAILED',
    error: `child execution of ${m.namespace}.${m.flowId} could not start: ${reason}`,
    notCreated: true,
    now,
  } as ExecutionCommand;
  return { key: m.parentExecutionId, value: commandMessage(command as BusCommand) };
}
