import type { LocksRequested } from '@chronicle/domain';
import { z } from 'zod';

/**
 * Messages between executions and the lock table, on the commands topic keyed by the holder's
 * execution id (commands.ts holds them in its contract). Both are idempotent: asking again
 * answers the same grant, releasing again frees nothing more.
 */

/**
 * A claim of an all-or-nothing set of named locks: the LocksRequested event's claim (the domain
 * declares it) with the execution it belongs to and when it asked. What AcquireLocks carries and
 * what the lock table (@chronicle/use-cases' NamedLockTable) queues: the one declaration of it.
 */
export type NamedLockClaim = Omit<LocksRequested['data'], 'at'> & {
  readonly executionId: string;
  readonly requestedAt: string;
};

/** From LocksRequested: put the claim in the queues and grant it if it can be. */
export type AcquireLocksMessage = NamedLockClaim & { readonly type: 'AcquireLocks' };

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

const id = z.string().min(1);

/** What the lock table relies on in each (commands.ts parses them with the rest of the topic). */
export const NAMED_LOCK_SCHEMAS = [
  z.looseObject({ type: z.literal('AcquireLocks'), executionId: id, holder: id, namespace: id, flowId: id, names: z.array(z.string()).min(1), priority: z.number(), requestedAt: id }),
  z.looseObject({ type: z.literal('ReleaseLocks'), executionId: id, holder: id, releasedAt: z.string() }),
  z.looseObject({ type: z.literal('ReprioritizeLocks'), executionId: id, priority: z.number().int().min(0), at: z.string() }),
] as const;
