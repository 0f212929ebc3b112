/**
 * Port: leases of running attempts, kept out of the event log. The executor records the workers'
 * renewals, the scheduler's health check finds the attempts whose worker went silent.
 * @chronicle/stores keeps them in Postgres (`TaskRunLeases`).
 */

/** A renewal: the worker running this attempt was alive at `at`. */
export interface LeaseRenewal {
  readonly executionId: string;
  readonly taskRunId: string;
  readonly attempt: number;
  readonly workerId: string;
  readonly at: string;
}

/** A running attempt whose worker has not been heard from within the lease. */
export interface ExpiredLease {
  readonly executionId: string;
  readonly taskRunId: string;
  readonly attempt: number;
  readonly startedAt: string;
  readonly lastRenewedAt?: string;
  readonly workerId?: string;
}

export interface TaskRunLeaseTable {
  /** Records a batch of renewals (several of one attempt collapse to the latest). */
  renew(batch: readonly LeaseRenewal[]): Promise<void>;
  /** Running attempts started before `silentSince` and not renewed since then. */
  expired(silentSince: Date, limit?: number): Promise<ExpiredLease[]>;
  /** Drops leases not renewed since `before`; answers how many. */
  prune(before: Date): Promise<number>;
}

/** An execution RUNNING whose read-model row has not changed since `since`. */
export interface StalledExecution {
  readonly id: string;
  readonly namespace: string;
  readonly flowId: string;
  readonly state: string;
  readonly updatedAt: string;
}

/** Port: the executions that made no progress since `since` (the health check reports them, the API lists them). */
export type FindStalledExecutions = (since: Date, limit?: number) => Promise<StalledExecution[]>;
