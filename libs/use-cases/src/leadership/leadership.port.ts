/**
 * Port: single-active leadership among a service's replicas (the outbox relay, the scheduler's
 * task-run health check run on one replica at a time). @chronicle/stores implements it with a
 * Postgres advisory lock (`LeaderLock`).
 */

/** What a replica does while it leads. */
export interface LeaderRole {
  /** Called once this replica leads. */
  lead(): Promise<void>;
  /** Called when the leadership ends (lost, or `stop()`): stop leading. */
  resign(): Promise<void>;
}

/** One campaign for a named leadership; `start()` campaigns until `stop()`. */
export interface LeadershipCampaign {
  readonly isLeader: boolean;
  start(): void;
  stop(): Promise<void>;
}

/** A campaign for the leadership `name` (not started): `role.lead` runs while this replica leads. */
export type Leadership = (name: string, role: LeaderRole) => LeadershipCampaign;
