import type { ExecutionCommand } from '@chronicle/domain';
import type { MessageBus, Topics } from '@chronicle/messaging';
import type { Clock } from '@chronicle/runtime';
import { CodedError } from '@chronicle/errors';
import type { NamedLockTable, StoredLockClaim } from './named-locks.port.js';

/**
 * Nobody holds the lock in a namespace the caller may release it in: nothing to force. Maps to
 * NOT_FOUND, the same answer whether another namespace holds a lock of that name or none does.
 */
export class LockNotHeldError extends CodedError {
  constructor(readonly lockName: string, namespace?: string) {
    super('LOCK_NOT_HELD', `lock "${lockName}"${namespace !== undefined ? ` of namespace ${namespace}` : ''} is not held by anyone`);
  }
}

/** Locks are per namespace: the name is held in several the caller may release it in. Maps to BAD_USER_INPUT. */
export class LockAmbiguousError extends CodedError {
  constructor(readonly lockName: string, namespaces: readonly string[]) {
    super('LOCK_AMBIGUOUS', `lock "${lockName}" is held in namespaces ${namespaces.join(', ')}: name the one to release with namespace`);
  }
}

export interface ForceReleaseDeps {
  readonly locks: Pick<NamedLockTable, 'list' | 'forceRelease'>;
  readonly bus: MessageBus;
  readonly topics: Topics;
  readonly clock: Clock;
}

/**
 * Cloudomation's `ignore_lock`, by an operator: `name` of `namespace` (or of the one namespace
 * the caller may release it in that holds it) is taken from its holder and handed to the next
 * waiter. `mayRelease` says which namespaces' locks the caller may release: the others' are
 * never looked at, so their locks answer as no lock does. The holder's execution records it
 * (RevokeLock) and goes on; the granted claims get their GrantLocks.
 */
export async function forceReleaseLock(
  deps: ForceReleaseDeps,
  lock: { readonly name: string; readonly namespace?: string },
  by: string,
  mayRelease: (namespace: string) => boolean,
): Promise<{ previous: StoredLockClaim; grantedTo: string[] }> {
  const { name } = lock;
  const held = (await deps.locks.list({ names: [name], ...(lock.namespace !== undefined ? { namespaces: [lock.namespace] } : {}) }))
    .filter((l) => l.holder !== undefined && mayRelease(l.namespace));
  if (held.length === 0) throw new LockNotHeldError(name, lock.namespace);
  if (held.length > 1) throw new LockAmbiguousError(name, held.map((l) => l.namespace));
  const { previous, granted } = await deps.locks.forceRelease(held[0]!.namespace, name);
  if (previous === undefined) throw new LockNotHeldError(name, lock.namespace);
  const now = deps.clock.now();
  const revoke: ExecutionCommand = { type: 'RevokeLock', executionId: previous.executionId, holder: previous.holder, name, by, now };
  const grants: ExecutionCommand[] = granted.map((g) => ({ type: 'GrantLocks', executionId: g.executionId, holder: g.holder, names: g.names, now }));
  await deps.bus.publish(deps.topics.commands, [revoke, ...grants].map((command) => ({ key: command.executionId, value: command })));
  return { previous, grantedTo: granted.map((g) => g.holder) };
}
