import { parseIsoDuration as parseSigned } from '../expression/iso-8601.js';

/**
 * Milliseconds of an ISO-8601 duration as Kestra writes them (`PT0.250S`, `PT1M30S`, `P1D`);
 * undefined when the text is not one, or is negative (a wait cannot be).
 */
export const parseIsoDuration = (text: string): number | undefined => {
  const ms = parseSigned(text);
  return ms === undefined || ms < 0 ? undefined : ms;
};

/** `at` plus `ms` milliseconds, as ISO-8601 UTC (the domain's clock is the command's `now`). */
export const addMs = (at: string, ms: number): string => new Date(Date.parse(at) + ms).toISOString();

/** Milliseconds from `from` to `to`. */
export const msBetween = (from: string, to: string): number => Date.parse(to) - Date.parse(from);
