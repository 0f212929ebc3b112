import type { LeaderLock, LeaderRole } from '@chronicle/stores';

/**
 * The executor's own injection tokens (the platform's ports use @chronicle/composition's tokens),
 * bound in executor.providers.ts.
 */
/** `ConcurrencySlots`: flow concurrency admission. */
export const CONCURRENCY_SLOTS = Symbol('CONCURRENCY_SLOTS');
/** `TaskRunLeases`: who runs which task run, until when. */
export const TASK_RUN_LEASES = Symbol('TASK_RUN_LEASES');
/** `NamedLocks`: the named-lock table (claims queued, granted, released). */
export const NAMED_LOCKS = Symbol('NAMED_LOCKS');
/** `TaskServices`: the stores a worker's tasks use (storage, KV, secrets, logs, executions). */
export const TASK_SERVICES = Symbol('TASK_SERVICES');
/** `Leadership`: a lock for a named leadership (the outbox relay runs on one replica). */
export const LEADERSHIP = Symbol('LEADERSHIP');
export const LOGGER = Symbol('EXECUTOR_LOGGER');
export const INSTANCE_ID = Symbol('EXECUTOR_INSTANCE_ID');

/** A lock for the leadership `name` (not started): `role.lead` runs while this replica leads, `role.resign` when it stops. */
export type Leadership = (name: string, role: LeaderRole) => LeaderLock;
