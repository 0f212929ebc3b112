import { TaskFailure } from './runnable-task.js';

const ISO_DURATION = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/**
 * A task property duration in ms: Kestra writes ISO-8601 (`PT10S`, `PT1M30S`, `P1D`); a plain
 * number is taken as milliseconds. Undefined stays undefined (the caller's default applies).
 */
export const durationMs = (value: unknown, property: string): number | undefined => {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  const match = typeof value === 'string' ? ISO_DURATION.exec(value.trim()) : null;
  if (!match || value === 'P' || value === 'PT') {
    throw new TaskFailure(`${property} must be an ISO-8601 duration such as PT10S, got ${JSON.stringify(value)}`);
  }
  const [, days = '0', hours = '0', minutes = '0', seconds = '0'] = match;
  return Math.round(((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000 + Number(seconds) * 1000);
};
