import { PoisonMessageError } from '@chronicle/messaging';

/**
 * Messages between executions and the lock table, on the commands topic keyed by the holder's
 * execution id. Both are idempotent: asking again answers the same grant, releasing again frees
 * nothing more.
 */

/** From LocksRequested: put the claim in the queues and grant it if it can be. */
export interface AcquireLocksMessage {
  readonly type: 'AcquireLocks';
  readonly executionId: string;
  readonly holder: string;
  readonly taskRunId?: string;
  readonly names: readonly string[];
  readonly namespace: string;
  readonly flowId: string;
  readonly priority: number;
  readonly requestedAt: string;
}

/** From LocksReleased (and the lease sweep): free the holder's locks, withdraw its claim, grant the next. */
export interface ReleaseLocksMessage {
  readonly type: 'ReleaseLocks';
  readonly executionId: string;
  readonly holder: string;
  readonly releasedAt: string;
}

/**
 * From ExecutionUpdated with a new priority: the execution's waiting claims move to their new
 * place in the queues (Cloudomation: a priority change reorders the lock queue), and what can be
 * granted in the new order is.
 */
export interface ReprioritizeLocksMessage {
  readonly type: 'ReprioritizeLocks';
  readonly executionId: string;
  readonly priority: number;
  readonly at: string;
}

export type NamedLockMessage = AcquireLocksMessage | ReleaseLocksMessage | ReprioritizeLocksMessage;
export const NAMED_LOCK_MESSAGE_TYPES: ReadonlySet<string> = new Set(['AcquireLocks', 'ReleaseLocks', 'ReprioritizeLocks']);

export function parseNamedLockMessage(value: unknown): NamedLockMessage {
  const m = value as Record<string, unknown> | null;
  if (!m || typeof m !== 'object' || !NAMED_LOCK_MESSAGE_TYPES.has(m.type as string)) throw new PoisonMessageError('not a named lock message');
  const strings = m.type === 'AcquireLocks' ? ['executionId', 'holder', 'namespace', 'flowId', 'requestedAt'] : m.type === 'ReprioritizeLocks' ? ['executionId', 'at'] : ['executionId', 'holder'];
  const missing = strings.filter((k) => typeof m[k] !== 'string' || m[k] === '');
  if (m.type === 'AcquireLocks') {
    if (!Array.isArray(m.names) || m.names.length === 0 || m.names.some((n) => typeof n !== 'string')) missing.push('names');
    if (typeof m.priority !== 'number') missing.push('priority');
  }
  if (m.type === 'ReprioritizeLocks' && (typeof m.priority !== 'number' || !Number.isInteger(m.priority) || m.priority < 0)) missing.push('priority');
  if (missing.length > 0) throw new PoisonMessageError(`${String(m.type)} lacks ${missing.join(', ')}`);
  return m as unknown as NamedLockMessage;
}
