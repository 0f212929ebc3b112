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
  const millisecond = m[7] ? Number(m[7].padEnd(3, '0').slice(0, 3)) : 0;
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
  return { year, month, day, hour, minute, second, millisecond, hasTime, offsetMinutes, ...(m[12] ? { zone: m[12] } : {}) };
};

/** Epoch milliseconds of parts that carry an offset; undefined for local date-times. */
export const instantOf = (parts: DateTimeParts): number | undefined =>
  parts.offsetMinutes === undefined
    ? undefined
    : Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second, parts.millisecond) -
      parts.offsetMinutes * 60_000;

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
