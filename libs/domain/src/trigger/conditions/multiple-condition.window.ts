import type { MultipleCondition, MultipleConditionWindow, TimeWindow } from './condition.model.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * The window a MultipleCondition evaluates in when none is stored or the stored one is over,
 * computed exactly as Kestra's `MultipleConditionStorageInterface.getOrCreate` (in UTC): a
 * DURATION_WINDOW of a day or more starts at midnight, of an hour or more at the current hour,
 * of minutes at the current multiple of the window; `windowAdvance` shifts the start.
 */
export function newWindowBounds(timeWindow: TimeWindow, nowMs: number): { start: number; end: number } {
  const now = Math.floor(nowMs / 1000) * 1000;
  const midnight = Math.floor(now / DAY) * DAY;
  switch (timeWindow.type) {
    case 'DURATION_WINDOW': {
      const window = timeWindow.windowMs;
      const wall = new Date(now);
      let [hour, minute, second] = [wall.getUTCHours(), wall.getUTCMinutes(), wall.getUTCSeconds()];
      if (window >= DAY) hour = 0;
      if (window >= HOUR) minute = 0;
      if (window >= MINUTE) {
        const windowMinutes = Math.floor(window / MINUTE);
        minute = windowMinutes * Math.floor(minute / windowMinutes);
        second = 0;
      }
      const at = midnight + hour * HOUR + minute * MINUTE + second * 1000;
      const start = at + (timeWindow.windowAdvanceMs ?? 0);
      return { start, end: start + window - 1 };
    }
    case 'SLIDING_WINDOW':
      return { start: now, end: now + timeWindow.windowMs };
    case 'DAILY_TIME_WINDOW':
      return { start: midnight + timeWindow.startSecondOfDay * 1000, end: midnight + timeWindow.endSecondOfDay * 1000 };
    case 'DAILY_TIME_DEADLINE':
      return { start: midnight, end: midnight + timeWindow.deadlineSecondOfDay * 1000 };
  }
}

/** Kestra's `MultipleConditionWindow.isValid`: strictly inside (start, end). */
export const windowIsOpen = (window: { start: number; end: number }, nowMs: number): boolean => nowMs > window.start && nowMs < window.end;

export interface MultipleConditionStep {
  /** The window to store now (undefined: nothing to store). */
  readonly save?: MultipleConditionWindow;
  /** Whether the stored window is to be deleted (fulfilled with resetOnSuccess, or over). */
  readonly remove: boolean;
  /** Every condition of the MultipleCondition has held within the window. */
  readonly satisfied: boolean;
}

/**
 * One evaluation of a MultipleCondition against one execution: reuse the stored window while
 * it is open (or start a new one), add the conditions that hold now, and say whether all have
 * held. A fulfilled window is dropped when `resetOnSuccess` (the default), so the next firing
 * needs every condition again.
 */
export function stepMultipleCondition(
  multiple: MultipleCondition,
  stored: MultipleConditionWindow | undefined,
  holdsNow: Readonly<Record<string, boolean>>,
  nowMs: number,
): MultipleConditionStep {
  const current = stored && windowIsOpen(stored, nowMs) ? stored : { conditionId: multiple.id, ...newWindowBounds(multiple.timeWindow, nowMs), results: {} };
  // A daily window that has not started yet, or whose deadline passed, is not evaluated.
  if (!windowIsOpen(current, nowMs)) return { remove: stored !== undefined, satisfied: false };
  const results: Record<string, true> = { ...current.results };
  for (const [id, holds] of Object.entries(holdsNow)) if (holds) results[id] = true;
  const satisfied = Object.keys(multiple.conditions).every((id) => results[id]);
  if (satisfied && multiple.resetOnSuccess) return { remove: stored !== undefined, satisfied };
  if (Object.keys(results).length === 0) return { remove: stored !== undefined && stored !== current, satisfied };
  return { save: { ...current, results }, remove: false, satisfied };
}
