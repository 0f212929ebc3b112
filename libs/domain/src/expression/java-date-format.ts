import { TZDate } from '@date-fns/tz';
// Per-function entry points: the package index loads all of date-fns (~100 ms of CPU at every start).
import { format as formatDate } from 'date-fns/format';
import { parse as parseDate } from 'date-fns/parse';
import { EvaluationFailure } from './expression.error.js';
import { instantOf, parseDateTimeParts } from './iso-8601.js';
import { typeOf, type Value } from './expression.values.js';

/**
 * Kestra's date filters take Java DateTimeFormatter patterns (`yyyy-MM-dd'T'HH:mm`) and a few
 * named formats. date-fns uses the same Unicode letters for nearly all of them; the handful that
 * differ are translated here. Without a `timeZone` argument Kestra uses the server's zone; the
 * domain has no server, so it uses UTC.
 */
const NAMED_FORMATS: Readonly<Record<string, string>> = {
  iso: "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX",
  iso_sec: "yyyy-MM-dd'T'HH:mm:ssXXX",
  sql: 'yyyy-MM-dd HH:mm:ss.SSSSSS',
  sql_seq: 'yyyy-MM-dd HH:mm:ss',
  iso_date_time: "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
  iso_zoned_date_time: "yyyy-MM-dd'T'HH:mm:ss.SSSXXX'['VV']'",
  iso_date: 'yyyy-MM-ddXXX',
  iso_time: 'HH:mm:ss.SSSXXX',
  iso_offset_time: 'HH:mm:ss.SSSXXX',
  iso_local_date: 'yyyy-MM-dd',
  iso_local_time: 'HH:mm:ss.SSS',
  iso_local_date_time: "yyyy-MM-dd'T'HH:mm:ss.SSS",
  iso_ordinal_date: 'yyyy-DDDXXX',
};

/** Java's formatters that no single pattern writes: written by hand (date-fns patterns inside). */
const WRITTEN_FORMATS: Readonly<Record<string, (date: TZDate) => string>> = {
  // ISO_INSTANT: UTC, the fraction only when there is one.
  iso_instant: (date) => {
    const utc = new TZDate(date.getTime(), 'UTC');
    return `${formatDate(utc, "yyyy-MM-dd'T'HH:mm:ss")}${isoInstantFraction(nanosOfSecond(date))}Z`;
  },
  // RFC_1123_DATE_TIME: "Tue, 3 Jun 2008 11:05:30 GMT", an offset other than zero as +0200.
  rfc_1123_date_time: (date) => `${formatDate(date, 'EEE, d MMM yyyy HH:mm:ss')} ${formatDate(date, 'xx') === '+0000' ? 'GMT' : formatDate(date, 'xx')}`,
  // ISO_WEEK_DATE: "2013-W36-7+02:00".
  iso_week_date: (date) => formatDate(date, "RRRR-'W'II-iXXX"),
};

export const DEFAULT_TIME_ZONE = 'UTC';

/**
 * JavaScript dates stop at the millisecond; Kestra's Instants go to the nanosecond. A date read from
 * text with a longer fraction keeps the rest here, so a parse -> format round trip (`date`,
 * `dateAdd`, `timestampMicro`, `timestampNano`) loses nothing.
 */
const SUB_MILLISECOND_NANOS = new WeakMap<Date, number>();

export const subMillisecondNanosOf = (date: Date): number => SUB_MILLISECOND_NANOS.get(date) ?? 0;

/** `to` (a date computed from `from`, e.g. by dateAdd) keeps `from`'s digits past the millisecond. */
export const withSubMillisecondsOf = <D extends Date>(from: Date, to: D): D => {
  const nanos = subMillisecondNanosOf(from);
  if (nanos !== 0) SUB_MILLISECOND_NANOS.set(to, nanos);
  return to;
};

/** Nanoseconds within the second (Java's NANO_OF_SECOND). */
const nanosOfSecond = (date: Date): number => date.getMilliseconds() * 1_000_000 + subMillisecondNanosOf(date);

/** Java's ISO_INSTANT fraction: none, or 3, 6 or 9 digits, as many as needed. */
const isoInstantFraction = (nanos: number): string => {
  if (nanos === 0) return '';
  const digits = String(nanos).padStart(9, '0');
  return `.${nanos % 1_000_000 === 0 ? digits.slice(0, 3) : nanos % 1000 === 0 ? digits.slice(0, 6) : digits}`;
};

/**
 * Java pattern → date-fns pattern. `VV` (zone id) becomes the zone's name as literal text. When
 * formatting (`nanos` given), `S...` (fraction of second, as many digits as letters) and `n`
 * (nano of second) are written from the nanoseconds, which date-fns does not have.
 */
export const toDateFnsPattern = (java: string, timeZone: string, nanos?: number): string => {
  let out = '';
  for (let i = 0; i < java.length; ) {
    const c = java[i];
    if (c === "'") {
      const end = java.indexOf("'", i + 1);
      const stop = end === -1 ? java.length : end + 1;
      out += java.slice(i, stop);
      i = stop;
      continue;
    }
    let run = 1;
    while (java[i + run] === c) run++;
    i += run;
    if (c === '[' || c === ']') continue; // optional sections: always printed
    if (!/[a-zA-Z]/.test(c)) {
      out += c.repeat(run);
      continue;
    }
    switch (c) {
      case 'Z': out += run <= 3 ? 'xx' : run === 4 ? "'GMT'xxx" : 'XXX'; break;
      case 'V': out += `'${timeZone.replaceAll("'", "''")}'`; break;
      case 'u': out += 'y'.repeat(run); break;
      case 'S':
        out += nanos === undefined ? c.repeat(run) : `'${String(nanos).padStart(9, '0').padEnd(run, '0').slice(0, run)}'`;
        break;
      case 'n':
        if (nanos === undefined) throw new EvaluationFailure('date pattern letter "n" can only format, not parse');
        out += `'${String(nanos).padStart(run, '0')}'`;
        break;
      case 'N': case 'A': case 'g':
        throw new EvaluationFailure(`date pattern letter "${c}" is not supported`);
      default: out += c.repeat(run);
    }
  }
  return out;
};

const checkZone = (timeZone: Value): string => {
  if (timeZone === undefined || timeZone === null) return DEFAULT_TIME_ZONE;
  if (typeof timeZone !== 'string') throw new EvaluationFailure(`timeZone must be a zone id such as "Europe/Paris", got ${typeOf(timeZone)}`);
  const zone = timeZone === 'Z' ? 'UTC' : timeZone;
  try {
    if (Number.isNaN(new TZDate(0, zone).getHours())) throw new RangeError(zone);
  } catch {
    throw new EvaluationFailure(`unknown time zone "${timeZone}"`);
  }
  return zone;
};

const dateFnsOptions = { useAdditionalDayOfYearTokens: true, useAdditionalWeekYearTokens: true } as const;

/**
 * The instant a date filter's input stands for, seen in `timeZone`: an ISO date-time (an
 * offset-less one is local to the zone), a date (midnight), epoch seconds (Java's Long), or text
 * in `existingFormat`.
 */
export const toZonedDate = (input: Value, timeZoneArg: Value, existingFormat: Value): TZDate => {
  const zone = checkZone(timeZoneArg);
  if (typeof input === 'number') return new TZDate(input * 1000, zone);
  if (typeof input !== 'string') throw new EvaluationFailure(`expects a date (ISO-8601 text or epoch seconds), got ${typeOf(input)}`);
  if (existingFormat !== undefined && existingFormat !== null) {
    if (typeof existingFormat !== 'string') throw new EvaluationFailure('existingFormat must be a date pattern');
    let parsed: Date;
    try {
      parsed = existingFormat === 'rfc_1123_date_time'
        ? parseDate(input.replace(/ GMT$/, ' +0000'), 'EEE, d MMM yyyy HH:mm:ss xx', new TZDate(0, zone), dateFnsOptions)
        : parseDate(input, toDateFnsPattern(resolveFormat(existingFormat), zone), new TZDate(0, zone), dateFnsOptions);
    } catch (error) {
      if (error instanceof EvaluationFailure) throw error;
      throw new EvaluationFailure(`invalid date format "${existingFormat}": ${(error as Error).message}`);
    }
    if (Number.isNaN(parsed.getTime())) throw new EvaluationFailure(`"${input}" does not match the format "${existingFormat}"`);
    return new TZDate(parsed.getTime(), zone);
  }
  const parts = parseDateTimeParts(input);
  if (!parts) throw new EvaluationFailure(`"${input}" is not an ISO-8601 date or date-time (give existingFormat for other layouts)`);
  const instant = instantOf(parts);
  const keep = (date: TZDate): TZDate => {
    if (parts.subMillisecondNanos) SUB_MILLISECOND_NANOS.set(date, parts.subMillisecondNanos);
    return date;
  };
  if (instant !== undefined) return keep(new TZDate(instant, zone));
  const localZone = parts.zone ? checkZone(parts.zone) : zone;
  const local = new TZDate(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second, parts.millisecond, localZone);
  return keep(new TZDate(local.getTime(), zone));
};

const resolveFormat = (format: string): string => (Object.hasOwn(NAMED_FORMATS, format) ? NAMED_FORMATS[format] : format);

/** Formats like Kestra's `date` filter; `format` defaults to `iso`. */
export const formatZoned = (date: TZDate, format: Value, locale: Value): string => {
  if (locale !== undefined && locale !== null && !/^en([-_].*)?$/i.test(String(locale))) {
    throw new EvaluationFailure(`locale "${String(locale)}" is not supported; dates are formatted in English`);
  }
  const pattern = format === undefined || format === null ? 'iso' : format;
  if (typeof pattern !== 'string') throw new EvaluationFailure(`format must be a date pattern such as "yyyy-MM-dd", got ${typeOf(pattern)}`);
  if (['full', 'long', 'medium', 'short'].includes(pattern)) {
    throw new EvaluationFailure(`localized format "${pattern}" is not supported; give a pattern such as "yyyy-MM-dd"`);
  }
  try {
    if (Object.hasOwn(WRITTEN_FORMATS, pattern)) return WRITTEN_FORMATS[pattern]!(date);
    return formatDate(date, toDateFnsPattern(resolveFormat(pattern), date.timeZone ?? DEFAULT_TIME_ZONE, nanosOfSecond(date)), dateFnsOptions);
  } catch (error) {
    if (error instanceof EvaluationFailure) throw error;
    throw new EvaluationFailure(`invalid date format "${pattern}": ${(error as Error).message}`);
  }
};
