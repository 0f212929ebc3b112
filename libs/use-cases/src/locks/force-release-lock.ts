import type { ExecutionCommand } from '@chronicle/domain';
import type { MessageBus, Topics } from '@chronicle/messaging';
import type { Clock } from '@chronicle/runtime';
import { CodedError } from '@chronicle/errors';
import type { NamedLockTable, StoredLockClaim } from './named-locks.port.js';

/** Nobody holds the lock: nothing to force. Maps to NOT_FOUND. */
export class LockNotHeldError extends CodedError {
  constructor(readonly lockName: string) {
    super('LOCK_NOT_HELD', `lock "${lockName}" is not held by anyone`);
  }
}

export interface ForceReleaseDeps {
  readonly locks: Pick<NamedLockTable, 'holderOf' | 'forceRelease'>;
  readonly bus: MessageBus;
  readonly topics: Topics;
  readonly clock: Clock;
}

/**
 * Cloudomation's `ignore_lock`, by an operator: `name` is taken from its holder and handed to
 * the next waiter. `authorize` sees the holder's namespace before anything changes. The holder's
 * execution records it (RevokeLock) and goes on; the granted claims get their GrantLocks.
 */
export async function forceReleaseLock(deps: ForceReleaseDeps, name: string, by: string, authorize: (namespace: string) => void): Promise<{ previous: StoredLockClaim; grantedTo: string[] }> {
  const holder = await deps.locks.holderOf(name);
  if (holder === undefined) throw new LockNotHeldError(name);
  authorize(holder.namespace);
  const { previous, granted } = await deps.locks.forceRelease(name);
  if (previous === undefined) throw new LockNotHeldError(name);
  const now = deps.clock.now();
  const revoke: ExecutionCommand = { type: 'RevokeLock', executionId: previous.executionId, holder: previous.holder, name, by, now };
  const grants: ExecutionCommand[] = granted.map((g) => ({ type: 'GrantLocks', executionId: g.executionId, holder: g.holder, names: g.names, now }));
  await deps.bus.publish(deps.topics.commands, [revoke, ...grants].map((command) => ({ key: command.executionId, value: command })));
  return { previous, grantedTo: granted.map((g) => g.holder) };
}
