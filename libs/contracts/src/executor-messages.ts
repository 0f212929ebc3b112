import type { JsonObject } from '@chronicle/domain';
import { PoisonMessageError } from '@chronicle/messaging';

/**
 * Messages on the commands topic that are not commands to an existing aggregate: they ask
 * the application to create an execution (exactly once: the id is deterministic and the
 * stream is created with NO_STREAM).
 */

/** From ChildExecutionRequested (keyed by the child id): create the Subflow's child. */
export interface StartChildExecutionMessage {
  readonly type: 'StartChildExecution';
  readonly parentExecutionId: string;
  readonly childExecutionId: string;
  readonly taskRunId: string;
  readonly attempt: number;
  readonly namespace: string;
  readonly flowId: string;
  readonly revision?: number;
  readonly inputs: JsonObject;
  readonly labels: Readonly<Record<string, string>>;
  readonly trigger: JsonObject;
  readonly wait: boolean;
  readonly transmitFailed: boolean;
  readonly requestedAt: string;
}

/** From ExecutionRetryRequested, delivered by a durable timer at `notBefore`: create the retry execution. */
export interface CreateRetryExecutionMessage {
  readonly type: 'CreateRetryExecution';
  readonly retriedExecutionId: string;
  readonly newExecutionId: string;
  readonly originalId: string;
  readonly namespace: string;
  readonly flowId: string;
  readonly flowRevision: number;
  readonly inputs: JsonObject;
  readonly labels: Readonly<Record<string, string>>;
  readonly attemptNumber: number;
  readonly notBefore: string;
}

export type ExecutionCreationMessage = StartChildExecutionMessage | CreateRetryExecutionMessage;

/**
 * From the terminal event of an execution of a flow with a concurrency limit (keyed by its id):
 * free its slot and start the next queued execution(s) of its pool (see ConcurrencySlots).
 */
export interface ReleaseConcurrencySlotMessage {
  readonly type: 'ReleaseConcurrencySlot';
  readonly executionId: string;
  readonly namespace: string;
  readonly flowId: string;
  /** The rendered `concurrency.key`; '' when the flow has none. */
  readonly concurrencyKey: string;
  readonly limit: number;
  readonly endedAt: string;
}

export function parseReleaseConcurrencySlotMessage(value: unknown): ReleaseConcurrencySlotMessage {
  const m = value as Record<string, unknown> | null;
  if (!m || typeof m !== 'object' || m.type !== 'ReleaseConcurrencySlot') throw new PoisonMessageError('not a ReleaseConcurrencySlot message');
  const missing = ['executionId', 'namespace', 'flowId'].filter((k) => typeof m[k] !== 'string' || m[k] === '');
  if (typeof m.concurrencyKey !== 'string') missing.push('concurrencyKey');
  if (typeof m.limit !== 'number' || m.limit < 1) missing.push('limit');
  if (missing.length > 0) throw new PoisonMessageError(`ReleaseConcurrencySlot lacks ${missing.join(', ')}`);
  return m as unknown as ReleaseConcurrencySlotMessage;
}
export const EXECUTION_CREATION_MESSAGE_TYPES: ReadonlySet<string> = new Set(['StartChildExecution', 'CreateRetryExecution']);

export function parseExecutionCreationMessage(value: unknown): ExecutionCreationMessage {
  const m = value as Record<string, unknown> | null;
  if (!m || typeof m !== 'object' || !EXECUTION_CREATION_MESSAGE_TYPES.has(m.type as string)) throw new PoisonMessageError('not an execution creation message');
  const strings = m.type === 'StartChildExecution'
    ? ['parentExecutionId', 'childExecutionId', 'taskRunId', 'namespace', 'flowId']
    : ['retriedExecutionId', 'newExecutionId', 'originalId', 'namespace', 'flowId'];
  const missing = strings.filter((k) => typeof m[k] !== 'string' || m[k] === '');
  if (missing.length > 0) throw new PoisonMessageError(`${String(m.type)} lacks ${missing.join(', ')}`);
  return m as unknown as ExecutionCreationMessage;
}
