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

/** Java's Duration.toString (PT1H2M3.5S, PT0.1S, PT0S), as Kestra prints durations in its log lines. */
export const javaDurationText = (ms: number): string => {
  if (ms === 0) return 'PT0S';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = rest / 1000;
  const secondsText = seconds === 0 ? '' : `${sign}${String(Number(seconds.toFixed(3)))}S`;
  return `PT${hours ? `${sign}${hours}H` : ''}${minutes ? `${sign}${minutes}M` : ''}${secondsText}`;
};
