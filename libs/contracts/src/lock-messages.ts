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

export type NamedLockMessage = AcquireLocksMessage | ReleaseLocksMessage;
export const NAMED_LOCK_MESSAGE_TYPES: ReadonlySet<string> = new Set(['AcquireLocks', 'ReleaseLocks']);

export function parseNamedLockMessage(value: unknown): NamedLockMessage {
  const m = value as Record<string, unknown> | null;
  if (!m || typeof m !== 'object' || !NAMED_LOCK_MESSAGE_TYPES.has(m.type as string)) throw new PoisonMessageError('not a named lock message');
  const strings = m.type === 'AcquireLocks' ? ['executionId', 'holder', 'namespace', 'flowId', 'requestedAt'] : ['executionId', 'holder'];
  const missing = strings.filter((k) => typeof m[k] !== 'string' || m[k] === '');
  if (m.type === 'AcquireLocks') {
    if (!Array.isArray(m.names) || m.names.length === 0 || m.names.some((n) => typeof n !== 'string')) missing.push('names');
    if (typeof m.priority !== 'number') missing.push('priority');
  }
  if (missing.length > 0) throw new PoisonMessageError(`${String(m.type)} lacks ${missing.join(', ')}`);
  return m as unknown as NamedLockMessage;
}
