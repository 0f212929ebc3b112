import type { CancelTimerMessage, ScheduleTimerMessage } from '@chronicle/contracts';
import type { JsonObject } from '@chronicle/domain';
import type { LeaderRole, LeadershipCampaign } from '../leadership/leadership.port.js';

/**
 * Port: the scheduler's durable timers, stored so that they survive restarts and fired by one
 * replica at a time. @chronicle/stores implements it with a Postgres table (`scheduled_timers`),
 * an advisory-lock leadership and NOTIFY.
 */

/** What the `timers` topic asks for: schedule a timer, or cancel one. */
export type TimerRequest = ScheduleTimerMessage | CancelTimerMessage;

export interface DueTimer {
  readonly timerId: string;
  readonly executionId: string;
  readonly fireAt: Date;
  /** The commands-topic message to send instead of FireTimer (a delayed retry execution), as the relay wrote it. */
  readonly deliver?: { readonly key: string; readonly value: JsonObject };
}

/** What the replica that fires the timers does while it leads. */
export interface TimerFiringRole extends LeaderRole {
  /** Any replica stored or cancelled a timer: look at the earliest one again. Heard only while leading. */
  changed(): void;
}

export interface DurableTimerTable {
  /**
   * Stores schedules and cancels in their order (idempotent: the topic is delivered at least once;
   * a cancel that arrives before its schedule keeps the late schedule from ever firing), then tells
   * the leader.
   */
  apply(requests: readonly TimerRequest[]): Promise<void>;
  /** When the earliest pending timer is due, or undefined when none is pending. */
  nextFireAt(): Promise<Date | undefined>;
  /** Pending timers due at `now`, earliest first. */
  due(now: Date, limit?: number): Promise<DueTimer[]>;
  markFired(timers: readonly DueTimer[], now: Date): Promise<void>;
  /** Forgets timers that fired or were cancelled before `before`; answers how many. */
  prune(before: Date): Promise<number>;
  /**
   * A campaign (not started) for firing the timers: one replica leads at a time. `role.changed`
   * is heard only while this replica leads, and the notifications end with the leadership.
   */
  campaignToFire(name: string, role: TimerFiringRole): LeadershipCampaign;
}
