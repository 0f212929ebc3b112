/**
 * Events of named locks (Cloudomation's `lock`, `wait_lock`, `release_lock`, `ignore_lock`).
 * A claim belongs to a holder: the execution itself (flow `locks:`, `taskRunId` absent) or one
 * task run (task `locks:`). The lock table of the application is the other half: it grants
 * claims in order and answers with GrantLocks; these events are the execution's side of it.
 */

/** The holder waits for all of `names` (sorted, distinct). Intent: AcquireLocks to the lock manager. */
export interface LocksRequested {
  readonly type: 'LocksRequested';
  readonly data: {
    readonly holder: string;
    readonly taskRunId?: string;
    readonly names: readonly string[];
    /** Where the holder runs: the lock table lists it, and force-release is authorized by it. */
    readonly namespace: string;
    readonly flowId: string;
    /** The run's priority when it asked: waiters of higher priority are granted first. */
    readonly priority: number;
    readonly at: string;
  };
}

/** The lock manager granted every lock of the claim at once (all or nothing). No intent. */
export interface LocksAcquired {
  readonly type: 'LocksAcquired';
  readonly data: { readonly holder: string; readonly taskRunId?: string; readonly names: readonly string[]; readonly at: string };
}

/**
 * The holder ended (or gave up waiting: killed, failed): its locks are free, its place in the
 * queues withdrawn. Intent: ReleaseLocks to the lock manager, which grants the next waiters.
 */
export interface LocksReleased {
  readonly type: 'LocksReleased';
  readonly data: { readonly holder: string; readonly taskRunId?: string; readonly names: readonly string[]; readonly held: boolean; readonly at: string };
}

/** An ADMIN force-released `name` (Cloudomation's `ignore_lock`) while this holder had it. No intent. */
export interface LockRevoked {
  readonly type: 'LockRevoked';
  readonly data: { readonly holder: string; readonly taskRunId?: string; readonly name: string; readonly by: string; readonly at: string };
}

export type NamedLockEvent = LocksRequested | LocksAcquired | LocksReleased | LockRevoked;
export const NAMED_LOCK_EVENT_TYPES = ['LocksRequested', 'LocksAcquired', 'LocksReleased', 'LockRevoked'] as const;
