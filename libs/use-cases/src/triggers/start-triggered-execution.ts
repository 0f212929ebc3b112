import { renderValue, type JsonObject, type TriggerDefinition } from '@chronicle/domain';
import { createExecution, type CreateExecutionDeps, type CreatedExecution } from '../create-execution.js';
import type { FlowHead } from '../flow-repository.js';

export interface TriggeredStart {
  readonly namespace: string;
  readonly flowId: string;
  readonly trigger: TriggerDefinition;
  /** What the flow sees as `trigger` (body, value, date, upstream execution...). */
  readonly variables: JsonObject;
  /** Same key = same execution, whichever scheduler or redelivery starts it. */
  readonly idempotencyKey: string;
  /** Inputs given by the event itself (Kafka trigger events carry their own). */
  readonly inputs?: Readonly<Record<string, unknown>>;
  readonly labels?: Readonly<Record<string, string>>;
  /** More names for rendering the trigger's inputs (a Flow trigger: the upstream execution's task `outputs`). */
  readonly scope?: JsonObject;
  /** The flow's head, when the caller has just read it (see CreateExecutionRequest.head). */
  readonly head?: FlowHead;
}

/**
 * Starts the execution a trigger asks for, exactly once: the trigger's inputs are rendered with
 * `trigger` in scope, and the id is derived from the idempotency key (NO_STREAM append).
 */
export async function startTriggeredExecution(deps: CreateExecutionDeps, start: TriggeredStart): Promise<CreatedExecution> {
  // Flows read `{{ trigger.executionId }}`; a Flow trigger's record also has Kestra's shape,
  // `trigger.variables.executionId` (its ExecutionTrigger), as Subflow children do.
  const kestraShape: JsonObject = start.trigger.kind === 'Flow' ? { variables: start.variables } : {};
  const trigger: JsonObject = { id: start.trigger.id, type: start.trigger.typeName, ...start.variables, ...kestraShape };
  const installation = deps.installation ? { envs: deps.installation.envs, globals: deps.installation.globals } : {};
  const rendered = renderValue(start.trigger.inputs, { ...installation, ...start.scope, trigger } as never) as JsonObject;
  return createExecution(deps, {
    namespace: start.namespace,
    flowId: start.flowId,
    inputs: { ...rendered, ...start.inputs },
    // Kestra's Flow trigger puts its rendered inputs on the execution without validating them.
    ...(start.trigger.kind === 'Flow' ? { inputsAsGiven: true as const } : {}),
    labels: { ...start.trigger.labels, ...start.labels },
    trigger,
    idempotencyKey: start.idempotencyKey,
    actor: `trigger:${start.trigger.kind.toLowerCase()}:${start.trigger.id}`,
    // The trigger's run options (checked at deploy); who started it defaults to the trigger.
    ...(start.trigger.runOptions !== undefined ? { options: start.trigger.runOptions } : {}),
    ...(start.head ? { head: start.head } : {}),
  });
}
