import { commandMessage, parseTimerMessage, type BusCommand, type TimerMessage } from '@chronicle/contracts';
import type { ExecutionCommand } from '@chronicle/domain';
import type { BusMessage, Consumer, MessageBus, Topics } from '@chronicle/messaging';
import type { Clock, Logger } from '@chronicle/runtime';
import type { DueTimer, DurableTimerTable, LeadershipCampaign } from '@chronicle/use-cases';

export const TIMERS_GROUP = 'chronicle-scheduler-timers';
export const TIMERS_LOCK = 'chronicle-scheduler-timers';
/** setTimeout cannot wait longer than ~24.8 days; a far timer is re-armed after this. */
const MAX_ARM_MS = 60 * 60 * 1000;

export interface DurableTimersDeps {
  /** Where the timers are kept, and who fires them (the Postgres table in @chronicle/stores). */
  readonly timers: DurableTimerTable;
  readonly bus: MessageBus;
  readonly topics: Topics;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * Durable timers: every scheduler replica stores what the `timers` topic asks for in the
 * durable timer table; the one that leads fires them. It keeps ONE setTimeout, for the
 * earliest pending timer, re-armed when a timer is stored or cancelled (by any replica: the
 * table tells the leader) and after each firing; on becoming leader it loads the table, so
 * timers survive restarts. Firing = publish `FireTimer` (or the timer's `deliver` message)
 * on the commands topic, then mark it fired: a crash in between fires it again, which the
 * decider ignores (TimerFired is already in the stream).
 */
export class DurableTimersService {
  private consumer?: Consumer;
  private campaign?: LeadershipCampaign;
  private timer?: NodeJS.Timeout;
  private leader = false;
  private stopped = false;
  private pumping?: Promise<void>;
  private pumpAgain = false;

  constructor(private readonly deps: DurableTimersDeps) {}

  /** Whether this replica fires timers now. */
  get isLeader(): boolean {
    return this.leader;
  }

  async start(): Promise<void> {
    this.consumer = await this.deps.bus.consumeBatch<TimerMessage>({ topic: this.deps.topics.timers, groupId: TIMERS_GROUP }, async (messages) => {
      await this.deps.timers.apply(messages.map((m) => parseTimerMessage(m.value)));
      this.rearm();
    });
    // The table tells the leader of other replicas' changes only while it leads (in Postgres:
    // a LISTEN on the session that holds the leadership), so re-arming cannot outlive it.
    this.campaign = this.deps.timers.campaignToFire(TIMERS_LOCK, { lead: () => this.lead(), resign: () => this.resign(), changed: () => this.rearm() });
    this.campaign.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([this.campaign?.stop(), this.consumer?.stop()]);
    await this.resign();
  }

  private async lead(): Promise<void> {
    if (this.stopped) return;
    this.leader = true;
    this.deps.logger.info('durable timers: this scheduler fires the timers');
    this.rearm();
  }

  private async resign(): Promise<void> {
    this.leader = false;
    clearTimeout(this.timer);
    await this.pumping;
  }

  /** Fires what is due and sets the one timeout for the next; serialised, coalescing calls. */
  private rearm(): void {
    if (!this.leader || this.stopped) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = this.pump()
      .catch((error: Error) => {
        // The store or the bus is down: try again shortly rather than lose the schedule.
        this.deps.logger.warn({ err: error }, 'durable timers: firing failed, retrying');
        this.arm(new Date(Date.parse(this.deps.clock.now()) + 1000));
      })
      .finally(() => {
        this.pumping = undefined;
        if (this.pumpAgain) {
          this.pumpAgain = false;
          this.rearm();
        }
      });
  }

  private async pump(): Promise<void> {
    for (;;) {
      const now = new Date(this.deps.clock.now());
      const due = await this.deps.timers.due(now);
      if (due.length === 0) break;
      await this.deps.bus.publish(this.deps.topics.commands, due.map((t) => this.messageOf(t, now)));
      await this.deps.timers.markFired(due, now);
      this.deps.logger.debug({ count: due.length }, 'durable timers fired');
    }
    const next = await this.deps.timers.nextFireAt();
    if (next) this.arm(next);
    else clearTimeout(this.timer);
  }

  private arm(at: Date): void {
    if (!this.leader || this.stopped) return;
    clearTimeout(this.timer);
    const delay = Math.min(Math.max(0, at.getTime() - Date.parse(this.deps.clock.now())), MAX_ARM_MS);
    this.timer = setTimeout(() => this.rearm(), delay);
  }

  private messageOf(timer: DueTimer, now: Date): BusMessage {
    // `deliver` was written by the relay as a commands-topic message (with its schemaVersion): sent as it is.
    if (timer.deliver) return { key: timer.deliver.key, value: timer.deliver.value, headers: { 'chronicle-timer-id': timer.timerId } };
    const command: ExecutionCommand = { type: 'FireTimer', executionId: timer.executionId, timerId: timer.timerId, now: now.toISOString() };
    return { key: timer.executionId, value: commandMessage(command as BusCommand), headers: { 'chronicle-timer-id': timer.timerId } };
  }

}
