import type { ReleaseLocksMessage } from '@chronicle/contracts';
import type { BusMessage, MessageBus, Topics } from '@chronicle/messaging';
import { stalledExecutions as stalledExecutionsGauge, type Clock, type Logger } from '@chronicle/runtime';
import type { FindStalledExecutions, Leadership, LeadershipCampaign, NamedLockTable, StalledExecution, TaskRunLeaseTable } from '@chronicle/use-cases';
import { commandMessage } from '@chronicle/contracts';

export const HEALTH_LOCK = 'chronicle-scheduler-task-run-health';

export interface TaskRunHealthOptions {
  /** Period of the check (default 30 s). */
  readonly intervalMs?: number;
  /** A running attempt whose worker has been silent this long is taken over (default 60 s: six missed renewals). */
  readonly leaseMs?: number;
  /** A RUNNING execution with no projected change for this long is reported as stalled (default 15 min). */
  readonly stalledAfterMs?: number;
  /** Fired or cancelled timers and dead leases are forgotten after this long (default 7 days). */
  readonly retentionMs?: number;
  /**
   * Send `ExpireTaskRunLease` for expired leases (the scheduler turns it on; default false so a
   * check can run read-only, e.g. in tests). Expired leases are logged either way.
   */
  readonly takeOverExpiredLeases?: boolean;
}

export interface TaskRunHealthDeps {
  readonly leases: TaskRunLeaseTable;
  readonly namedLocks: NamedLockTable;
  readonly stalledExecutions: FindStalledExecutions;
  readonly leadership: Leadership;
  readonly bus: MessageBus;
  readonly topics: Topics;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Extra housekeeping run with each check (e.g. pruning old timers). */
  readonly prune?: (before: Date) => Promise<number>;
}

export interface HealthReport {
  readonly checkedAt: string;
  readonly expiredLeases: number;
  /** Named-lock claims whose holder ended without its release reaching the lock table (released now when takeover is on). */
  readonly staleLockClaims: number;
  readonly stalledExecutions: readonly StalledExecution[];
}

/**
 * The "no stuck executions" check, on the leader only, every `intervalMs` (one timeout
 * re-armed after each run, not a tight loop): attempts whose worker stopped renewing its
 * lease are handed to the executor as `ExpireTaskRunLease` (the decider starts a new
 * attempt, which the history shows), and executions that made no progress for too long are
 * reported (a WARN log line per check carrying the `chronicle_stalled_executions` gauge, and
 * `lastReport` for the API).
 */
export class TaskRunHealthService {
  private readonly leases: TaskRunLeaseTable;
  private readonly namedLocks: NamedLockTable;
  private lock?: LeadershipCampaign;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private running?: Promise<HealthReport | undefined>;
  private report?: HealthReport;
  private readonly intervalMs: number;
  private readonly leaseMs: number;
  private readonly stalledAfterMs: number;
  private readonly retentionMs: number;
  private readonly takeOver: boolean;

  constructor(private readonly deps: TaskRunHealthDeps, options: TaskRunHealthOptions = {}) {
    this.leases = deps.leases;
    this.namedLocks = deps.namedLocks;
    this.intervalMs = options.intervalMs ?? 30_000;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.stalledAfterMs = options.stalledAfterMs ?? 15 * 60_000;
    this.retentionMs = options.retentionMs ?? 7 * 24 * 3_600_000;
    this.takeOver = options.takeOverExpiredLeases ?? false;
  }

  get lastReport(): HealthReport | undefined {
    return this.report;
  }

  async start(): Promise<void> {
    this.lock = this.deps.leadership(HEALTH_LOCK, {
      lead: async () => this.schedule(),
      resign: async () => {
        clearTimeout(this.timer);
        this.timer = undefined;
        await this.running;
      },
    });
    this.lock.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.lock?.stop();
    await this.running;
  }

  /** One check now (the leader's timer calls it; tests may too). */
  async check(): Promise<HealthReport> {
    const now = new Date(this.deps.clock.now());
    const expired = await this.leases.expired(new Date(now.getTime() - this.leaseMs));
    if (expired.length > 0 && this.takeOver) {
      const commands: BusMessage[] = expired.map((lease) => ({
        key: lease.executionId,
        value: commandMessage({ type: 'ExpireTaskRunLease', executionId: lease.executionId, taskRunId: lease.taskRunId, attempt: lease.attempt, now: now.toISOString() }),
      }));
      await this.deps.bus.publish(this.deps.topics.commands, commands);
      this.deps.logger.warn({ leases: expired }, 'task run leases expired: their attempts are taken over');
    } else if (expired.length > 0) {
      this.deps.logger.warn({ metric: 'chronicle_expired_task_run_leases', value: expired.length, leases: expired }, 'task run leases expired (takeover is off)');
    }
    const staleLocks = await this.releaseStaleLocks(now);
    const stalled = await this.deps.stalledExecutions(new Date(now.getTime() - this.stalledAfterMs));
    stalledExecutionsGauge.set(stalled.length);
    if (stalled.length > 0) {
      this.deps.logger.warn({ metric: 'chronicle_stalled_executions', value: stalled.length, executions: stalled.map((s) => s.id) }, 'executions made no progress');
    }
    const retention = new Date(now.getTime() - this.retentionMs);
    await this.leases.prune(retention);
    await this.deps.prune?.(retention);
    this.report = { checkedAt: now.toISOString(), expiredLeases: expired.length, staleLockClaims: staleLocks, stalledExecutions: stalled };
    return this.report;
  }

  /**
   * The named locks' lease: a claim whose holder (execution or task run) the read model shows
   * ended, or whose execution is gone, for longer than the lease, lost its release on the way;
   * a ReleaseLocks to the executor frees it and grants the next waiters.
   */
  private async releaseStaleLocks(now: Date): Promise<number> {
    const stale = await this.namedLocks.stale(new Date(now.getTime() - this.leaseMs));
    if (stale.length === 0) return 0;
    if (!this.takeOver) {
      this.deps.logger.warn({ claims: stale.map((c) => c.holder) }, 'named-lock claims of ended holders (takeover is off)');
      return stale.length;
    }
    const releases: BusMessage[] = stale.map((c) => {
      const message: ReleaseLocksMessage = { type: 'ReleaseLocks', executionId: c.executionId, holder: c.holder, releasedAt: now.toISOString() };
      return { key: c.executionId, value: message };
    });
    await this.deps.bus.publish(this.deps.topics.commands, releases);
    this.deps.logger.warn({ claims: stale.map((c) => ({ holder: c.holder, names: c.names })) }, 'named locks of ended holders released by their lease');
    return stale.length;
  }

  private schedule(): void {
    if (this.stopped || !this.lock?.isLeader) return;
    this.timer = setTimeout(() => {
      this.running = this.check()
        .catch((error: Error) => {
          // The read model may not exist yet (projection not migrated): try at the next period.
          this.deps.logger.warn({ err: error }, 'task run health check failed');
          return undefined;
        })
        .finally(() => {
          this.running = undefined;
          this.schedule();
        });
    }, this.intervalMs);
  }
}
