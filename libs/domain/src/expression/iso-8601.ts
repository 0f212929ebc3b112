/**
 * ISO-8601 texts the domain reads without a clock or the host's time zone: date-times, dates,
 * times and durations. `Date.parse` is not used because it reads offset-less text in the host's
 * zone; these parsers return parts, and the caller says which zone applies.
 */

export interface DateTimeParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
  /** The fraction's digits past the millisecond, as nanoseconds (0-999999): `.123456789` keeps 456789. */
  readonly subMillisecondNanos?: number;
  /** Whether the text had a time part at all (`2025-01-31` has none). */
  readonly hasTime: boolean;
  /** Minutes east of UTC, when the text gave an offset (`Z`, `+02:00`). */
  readonly offsetMinutes?: number;
  /** A bracketed zone id after the offset, as Java prints it: `...+01:00[Europe/Paris]`. */
  readonly zone?: string;
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?(?:\[([^\]\s]+)\])?$/;

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Parses `2025-01-31`, `2025-01-31T10:00[:00[.000]]` with an optional `Z`/offset/`[zone]`. */
export const parseDateTimeParts = (text: string): DateTimeParts | undefined => {
  const m = DATE_TIME.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const hasTime = m[4] !== undefined;
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  const fraction = (m[7] ?? '').padEnd(9, '0');
  const millisecond = Number(fraction.slice(0, 3));
  const subMillisecondNanos = Number(fraction.slice(3));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes: number | undefined;
  if (m[8]) offsetMinutes = 0;
  else if (m[9]) {
    const [h, mm] = [Number(m[10]), Number(m[11] ?? 0)];
    if (h > 18 || mm > 59) return undefined;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (h * 60 + mm);
  }
  if (offsetMinutes !== undefined && !hasTime) return undefined;
  return { year, month, day, hour, minute, second, millisecond, ...(subMillisecondNanos ? { subMillisecondNanos } : {}), hasTime, offsetMinutes, ...(m[12] ? { zone: m[12] } : {}) };
};

/** Epoch milliseconds of parts that carry an offset; undefined for local date-times. */
export const instantOf = (parts: DateTimeParts): number | undefined =>
  parts.offsetMinutes === undefined
    ? undefined
    : Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second, parts.millisecond) -
      parts.offsetMinutes * 60_000;

/**
 * Java's Instant.toString of parts that carry an offset: UTC, the fraction with 3, 6 or 9 digits
 * as needed (none when zero), so `2019-10-06T18:27:49Z` and `...49.123456Z` read back unchanged.
 */
export const instantText = (parts: DateTimeParts): string | undefined => {
  const instant = instantOf(parts);
  if (instant === undefined) return undefined;
  const whole = new Date(instant - (((instant % 1000) + 1000) % 1000)).toISOString().slice(0, 19);
  const nanos = (((instant % 1000) + 1000) % 1000) * 1_000_000 + (parts.subMillisecondNanos ?? 0);
  if (nanos === 0) return `${whole}Z`;
  const digits = String(nanos).padStart(9, '0');
  return `${whole}.${nanos % 1_000_000 === 0 ? digits.slice(0, 3) : nanos % 1000 === 0 ? digits.slice(0, 6) : digits}Z`;
};

const TIME = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;

/** `HH:mm[:ss[.fff]]` as milliseconds since midnight, like Java's LocalTime. */
export const parseTimeOfDay = (text: string): number | undefined => {
  const m = TIME.exec(text.trim());
  if (!m) return undefined;
  const [hour, minute, second] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  return ((hour * 60 + minute) * 60 + second) * 1000 + (m[4] ? Number(m[4].padEnd(3, '0').slice(0, 3)) : 0);
};

const DURATION = /^([-+])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d{1,9})?)S)?)?$/i;

/**
 * An ISO-8601 duration as milliseconds: `PT30S`, `PT5M`, `PT1H30M`, `P1D`, `P2W`, `PT0.5S`.
 * Years and months are refused (their length depends on the calendar), as Java's Duration does.
 */
export const parseIsoDuration = (text: string): number | undefined => {
  const m = DURATION.exec(text.trim());
  if (!m || text.trim().toUpperCase().endsWith('T')) return undefined;
  const [, sign, weeks, days, hours, minutes, seconds] = m;
  if ([weeks, days, hours, minutes, seconds].every((part) => part === undefined)) return undefined;
  const ms =
    ((Number(weeks ?? 0) * 7 + Number(days ?? 0)) * 24 * 3600 + Number(hours ?? 0) * 3600 + Number(minutes ?? 0) * 60) * 1000 +
    Math.round(Number((seconds ?? '0').replace(',', '.')) * 1000);
  return sign === '-' ? -ms : ms;
};
