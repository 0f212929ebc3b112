import { Cron } from 'croner';
import type { ScheduleTrigger } from './trigger.model.js';

/**
 * Tick arithmetic for Schedule triggers, in the trigger's time zone (croner). A daylight-saving
 * jump neither skips nor doubles a tick: a wall time that does not exist fires at the next
 * valid instant, and one that happens twice fires once.
 */
export function nextTick(trigger: ScheduleTrigger, after: Date): Date | undefined {
  return cronOf(trigger).nextRun(after) ?? undefined;
}

/** Every tick in (from, until], oldest first, at most `limit`. */
export function ticksBetween(trigger: ScheduleTrigger, from: Date, until: Date, limit = 10_000): Date[] {
  const cron = cronOf(trigger);
  const ticks: Date[] = [];
  let cursor = from;
  while (ticks.length < limit) {
    const next = cron.nextRun(cursor);
    if (!next || next > until) break;
    ticks.push(next);
    cursor = next;
  }
  return ticks;
}

/** The ticks missed while no scheduler ran, per `recoverMissedSchedules`. */
export function missedTicks(trigger: ScheduleTrigger, lastFired: Date, now: Date): Date[] {
  if (trigger.recoverMissedSchedules === 'NONE') return [];
  const missed = ticksBetween(trigger, lastFired, now);
  return trigger.recoverMissedSchedules === 'LAST' ? missed.slice(-1) : missed;
}

/** The previous tick before `at` (for `trigger.previous`); undefined before the first. */
export function previousTick(trigger: ScheduleTrigger, at: Date): Date | undefined {
  return cronOf(trigger).previousRuns(1, at)[0] ?? undefined;
}

function cronOf(trigger: ScheduleTrigger): Cron {
  return new Cron(trigger.cron, { timezone: trigger.timezone, paused: true, legacyMode: true });
}
