/**
 * The per-run options of the run form (Cloudomation's execution settings): a name, a priority,
 * a maximum runtime and a deferred start. Checked here so the form names the field to fix before
 * the server is asked; the server checks them again (and refuses what slips through).
 */
export interface RunOptionValues {
  name: string;
  /** As typed; empty means the flow's priority. */
  priority: string;
  /** ISO-8601 duration, e.g. PT10M; empty means the flow's timeout. */
  maxRuntime: string;
  /** A `datetime-local` value (the browser's zone); empty means now. */
  scheduledAt: string;
}

export const EMPTY_RUN_OPTIONS: RunOptionValues = { name: '', priority: '', maxRuntime: '', scheduledAt: '' };

export interface RunOptions {
  name?: string;
  priority?: number;
  maxRuntime?: string;
  scheduledAt?: string;
}

// The duration forms the server accepts (days, hours, minutes, seconds; weeks alone).
const ISO_DURATION = /^P(?!$)(\d+W|(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?)$/;

/** The options to send, or for each wrong field what to fix. `now` is passed in so tests decide the time. */
export function parseRunOptions(values: RunOptionValues, now: Date = new Date()): { options: RunOptions; errors: Partial<Record<keyof RunOptionValues, string>> } {
  const options: RunOptions = {};
  const errors: Partial<Record<keyof RunOptionValues, string>> = {};
  if (values.name.trim()) options.name = values.name.trim();
  if (values.priority.trim()) {
    const priority = Number(values.priority);
    if (!Number.isInteger(priority) || priority < 0) errors.priority = 'a whole number, 0 or more (higher runs first)';
    else options.priority = priority;
  }
  if (values.maxRuntime.trim()) {
    const duration = values.maxRuntime.trim().toUpperCase();
    if (!ISO_DURATION.test(duration) || !/[1-9]/.test(duration)) errors.maxRuntime = 'an ISO-8601 duration above zero, e.g. PT10M or PT1H30M';
    else options.maxRuntime = duration;
  }
  if (values.scheduledAt) {
    const at = new Date(values.scheduledAt);
    if (Number.isNaN(at.getTime())) errors.scheduledAt = 'a date and time';
    else if (at.getTime() <= now.getTime()) errors.scheduledAt = 'a time in the future (leave it empty to start now)';
    else options.scheduledAt = at.toISOString();
  }
  return { options, errors };
}
