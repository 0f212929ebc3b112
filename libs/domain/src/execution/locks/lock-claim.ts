/** One holder's claim on named locks, as the execution knows it. */
export interface LockClaim {
  /** The execution id (flow `locks:`) or the task run id (task `locks:`). */
  readonly holder: string;
  readonly taskRunId?: string;
  /** Sorted and distinct: the order every claim is taken in. */
  readonly names: readonly string[];
  readonly state: 'WAITING' | 'HELD';
  /** When it started waiting, or when it got the locks. */
  readonly since: string;
}
