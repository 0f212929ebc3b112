import { TZDate } from '@date-fns/tz';
import { Cron } from 'croner';
import { format as formatDate } from 'date-fns/format';
import { conditionHolds } from './conditions/condition.evaluate.js';
import type { ScheduleTrigger } from './trigger.model.js';

/** How many cron ticks a conditional schedule may skip looking for the next one that holds. */
export const MAX_SKIPPED_TICKS = 10_000;

/**
 * Tick arithmetic for Schedule triggers, in the trigger's time zone (croner). A daylight-saving
 * jump neither skips nor doubles a tick: a wall time that does not exist fires at the next
 * valid instant, and one that happens twice fires once.
 */
export function nextTick(trigger: ScheduleTrigger, after: Date): Date | undefined {
  if (trigger.dates) return datesOf(trigger).find((d) => d > after && tickAllowed(trigger, d));
  const cron = cronOf(trigger);
  let cursor = after;
  for (let i = 0; i < MAX_SKIPPED_TICKS; i++) {
    const next = cron.nextRun(cursor);
    if (!next || tickAllowed(trigger, next)) return next ?? undefined;
    cursor = next;
  }
  return undefined;
}

/**
 * Whether a tick passes the schedule's `conditions` (Kestra's ScheduleConditions), judged with
 * `trigger.date` the tick in the schedule's own zone, as Kestra renders it (`2024-03-04T09:00:00+01:00`).
 */
export function tickAllowed(trigger: ScheduleTrigger, tick: Date): boolean {
  if (trigger.conditions.length === 0) return true;
  const date = formatDate(new TZDate(tick.getTime(), trigger.timezone), "yyyy-MM-dd'T'HH:mm:ssXXX");
  const context = {
    inputs: {}, outputs: {}, labels: {},
    execution: { id: '', startDate: date, originalId: '' },
    flow: { id: '', namespace: '', revision: 0 },
    trigger: { date },
    now: tick.toISOString(),
  };
  return trigger.conditions.every((c) => conditionHolds(c, { context }));
}

/** Every tick in (from, until], oldest first, at most `limit`. */
export function ticksBetween(trigger: ScheduleTrigger, from: Date, until: Date, limit = 10_000): Date[] {
  if (trigger.dates) return datesOf(trigger).filter((d) => d > from && d <= until && tickAllowed(trigger, d)).slice(0, limit);
  const cron = cronOf(trigger);
  const ticks: Date[] = [];
  let cursor = from;
  while (ticks.length < limit) {
    const next = cron.nextRun(cursor);
    if (!next || next > until) break;
    if (tickAllowed(trigger, next)) ticks.push(next);
    cursor = next;
  }
  return ticks;
}

/** The ticks missed while no scheduler ran, per `recoverMissedSchedules`. */
export function missedTicks(trigger: ScheduleTrigger, lastFired: Date, now: Date): Date[] {
  if (trigger.recoverMissedSchedules === 'NONE') return [];
  // lateMaximumDelay: a tick found later than that after its time is skipped (Kestra's handleMaxDelay).
  const late = trigger.lateMaximumDelayMs;
  const missed = ticksBetween(trigger, lastFired, now).filter((tick) => late === undefined || now.getTime() - tick.getTime() <= late);
  return trigger.recoverMissedSchedules === 'LAST' ? missed.slice(-1) : missed;
}

/** The previous tick before `at` (for `trigger.previous`); undefined before the first. */
export function previousTick(trigger: ScheduleTrigger, at: Date): Date | undefined {
  if (trigger.dates) return datesOf(trigger).filter((d) => d < at).at(-1);
  return cronOf(trigger).previousRuns(1, at)[0] ?? undefined;
}

function cronOf(trigger: ScheduleTrigger): Cron {
  return new Cron(trigger.cron ?? '', { timezone: trigger.timezone, paused: true, legacyMode: true });
}

/** A ScheduleOnDates' ticks: its dates, oldest first (the parser sorted them). */
function datesOf(trigger: ScheduleTrigger): Date[] {
  return (trigger.dates ?? []).map((d) => new Date(d));
}
