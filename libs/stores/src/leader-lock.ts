import pg from 'pg';
import type { Logger } from '@chronicle/runtime';
import type { LeadershipCampaign } from '@chronicle/use-cases';

/** What a process does while it is the leader. */
export interface LeaderRole {
  /**
   * Called once this process holds the lock. `session` is the connection that holds it: work
   * tied to the leadership (a LISTEN) can use it, so that it ends with the leadership.
   */
  lead(session: pg.Client): Promise<void>;
  /** Called when the leadership ends (its connection was lost, or `stop()`): stop leading. */
  resign(): Promise<void>;
}

export interface LeaderLockOptions {
  /** Wait before trying again after Postgres could not be reached (default 1 s). */
  readonly retryDelayMs?: number;
  /** How long `stop()` lets `resign()` run before it releases the lock anyway (default 1.5 s). */
  readonly resignTimeoutMs?: number;
}

/**
 * Single-active leadership through a Postgres session advisory lock, kept for as long as the
 * process runs. A replica waits in Postgres (no polling) until it holds the lock; if the holder
 * dies, its connection closes and the lock passes to the next waiter. When this process loses
 * its connection (a Postgres restart, a network cut), it resigns and campaigns again once
 * Postgres answers: an outage makes the service wait, never exit. `stop()` resigns and releases
 * the lock within `resignTimeoutMs` plus a round trip, so a graceful shutdown hands over at once.
 */
export class LeaderLock implements LeadershipCampaign {
  private stopped = false;
  private leading = false;
  private session?: pg.Client;
  private loop?: Promise<void>;
  private wakeStop?: () => void;
  private readonly stopping = new Promise<void>((resolve) => (this.wakeStop = resolve));

  constructor(
    private readonly connectionString: string,
    private readonly name: string,
    private readonly logger: Logger,
    private readonly role: LeaderRole,
    private readonly options: LeaderLockOptions = {},
  ) {}

  get isLeader(): boolean {
    return this.leading;
  }

  /** Campaigns in the background; returns at once (another replica may be the leader). */
  start(): void {
    this.loop ??= this.campaign();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeStop?.();
    // A replica waiting for the lock is blocked in a query: closing its connection ends the wait.
    if (!this.leading) await this.session?.end().catch(() => undefined);
    await this.loop;
  }

  private async campaign(): Promise<void> {
    while (!this.stopped) {
      const session = new pg.Client({ connectionString: this.connectionString, application_name: `chronicle-leader:${this.name}` });
      this.session = session;
      let lose!: (error: Error) => void;
      const lost = new Promise<Error>((resolve) => (lose = resolve));
      session.on('error', (error) => lose(error));
      session.on('end', () => lose(new Error('the leader lock connection closed')));
      try {
        await session.connect();
        await Promise.race([session.query('SELECT pg_advisory_lock(hashtext($1))', [this.name]), lost.then((error) => Promise.reject(error))]);
        if (this.stopped) break;
        this.leading = true;
        this.logger.info({ lock: this.name }, 'leadership taken');
        await this.role.lead(session);
        const outcome = await Promise.race([lost, this.stopping.then(() => undefined)]);
        if (outcome) this.logger.warn({ lock: this.name, err: outcome }, 'leadership lost with its Postgres connection; resigning, then campaigning again');
      } catch (error) {
        if (!this.stopped) this.logger.warn({ lock: this.name, err: error }, 'leader election: Postgres unreachable; trying again');
      } finally {
        await this.resign();
        await session.end().catch(() => undefined);
      }
      if (!this.stopped) await Promise.race([this.stopping, new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs ?? 1000))]);
    }
  }

  private async resign(): Promise<void> {
    if (!this.leading) return;
    this.leading = false;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.options.resignTimeoutMs ?? 1500)));
    try {
      await Promise.race([this.role.resign().catch((error) => this.logger.warn({ lock: this.name, err: error }, 'error while resigning')), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }
}
