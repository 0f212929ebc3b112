import { decide, evolve, executionStreamId, type Execution, type ExecutionState, type JsonObject } from '@chronicle/domain';
import { NO_STREAM, WrongExpectedVersionError, type EventStore } from '@chronicle/event-store';
import { deterministicId, newId, type Clock } from '@chronicle/runtime';
import { toEventData } from './event-envelope.js';
import type { ExecutionRepository } from './execution-repository.js';
import type { FlowRepository } from './flow-repository.js';

export interface CreateExecutionRequest {
  readonly namespace: string;
  readonly flowId: string;
  /** Flow revision; the latest when omitted. */
  readonly revision?: number;
  readonly inputs?: Readonly<Record<string, unknown>>;
  readonly labels?: Readonly<Record<string, string>>;
  readonly trigger?: JsonObject;
  /** Same key (for the same flow) = same execution, created once. */
  readonly idempotencyKey?: string;
  readonly parentId?: string;
  readonly originalId?: string;
  readonly actor?: string;
}

export interface CreatedExecution {
  readonly execution: Execution;
  /** False when the idempotency key named an execution that already existed. */
  readonly created: boolean;
  readonly position?: bigint;
}

export interface CreateExecutionDeps {
  readonly store: EventStore;
  readonly flows: FlowRepository;
  readonly executions: ExecutionRepository;
  readonly clock: Clock;
}

/**
 * Validates the inputs against the flow revision and appends ExecutionCreated to a new
 * stream. Acknowledged = durable in the event store; the relay then hands it to the
 * executor. The NO_STREAM expectation makes creation exactly-once for deterministic ids.
 */
export async function createExecution(deps: CreateExecutionDeps, request: CreateExecutionRequest): Promise<CreatedExecution> {
  const flow = await deps.flows.require(request.namespace, request.flowId, request.revision);
  const executionId = request.idempotencyKey
    ? deterministicId('execution', request.namespace, request.flowId, request.idempotencyKey)
    : newId();
  const events = decide(
    {
      type: 'CreateExecution',
      executionId,
      flow: flow.definition,
      inputs: request.inputs ?? {},
      labels: request.labels,
      trigger: request.trigger,
      originalId: request.originalId,
      parentId: request.parentId,
      now: deps.clock.now(),
    },
    undefined,
    { flow: flow.definition },
  );
  try {
    const result = await deps.store.append(
      executionStreamId(executionId),
      toEventData(events, { correlationId: executionId, actor: request.actor }),
      NO_STREAM,
    );
    let state: ExecutionState = undefined;
    for (const event of events) state = evolve(state, event);
    return { execution: state!, created: true, position: result.position };
  } catch (error) {
    if (!(error instanceof WrongExpectedVersionError)) throw error;
    const existing = await deps.executions.load(executionId);
    if (!existing) throw error;
    return { execution: existing, created: false };
  }
}
