import type { NamedLockClaim } from '@chronicle/contracts';

/**
 * Port: named locks across executor replicas (Cloudomation's `lock`): claims of all-or-nothing
 * sets of lock names, granted in queue order. @chronicle/stores keeps them in Postgres
 * (`NamedLocks`); the executor answers grants with GrantLocks, the gateway lists and
 * force-releases, the scheduler's lease sweep releases claims of ended holders.
 */
/** A claim the lock table answers with a grant (the caller sends GrantLocks to its execution). */
export interface LockGrant {
  readonly executionId: string;
  readonly holder: string;
  readonly names: readonly string[];
}

/** The claim as AcquireLocks carries it: one shape, declared by the contract. */
export type LockClaimRequest = NamedLockClaim;

/** One claim as the lock table keeps it. */
export type StoredLockClaim = NamedLockClaim & {
  readonly status: 'waiting' | 'held';
  readonly grantedAt?: string;
};

/** A lock of a namespace by name: who holds it and who waits for it, in the order they will get it. */
export interface NamedLockView {
  /** Locks are per namespace: `db` of teamA and `db` of teamB are two locks. */
  readonly namespace: string;
  readonly name: string;
  readonly holder?: StoredLockClaim;
  readonly waiters: readonly StoredLockClaim[];
}

export interface NamedLockTable {
  /** Queues the claim (once) and grants what can be granted now; answers this claim's grant again when it holds. */
  acquire(request: LockClaimRequest): Promise<LockGrant[]>;
  /** The holder ended or gave up: its claim goes, and the claims that can be granted now are. */
  release(holder: string): Promise<LockGrant[]>;
  /** The execution's priority changed: its waiting claims take their new place; what can be granted in the new order is. */
  reprioritize(executionId: string, priority: number): Promise<LockGrant[]>;
  /** Takes `name` of `namespace` from its holder and grants the next waiters. */
  forceRelease(namespace: string, name: string): Promise<{ previous?: StoredLockClaim; granted: LockGrant[] }>;
  holderOf(namespace: string, name: string): Promise<StoredLockClaim | undefined>;
  /** The locks held or waited for: only `names`, only of `namespaces`, when given. */
  list(filter?: { names?: readonly string[]; namespaces?: readonly string[] }): Promise<NamedLockView[]>;
  /** Claims of holders that ended (or are gone) untouched since `before`: the lease sweep releases them. */
  stale(before: Date, limit?: number): Promise<StoredLockClaim[]>;
}
