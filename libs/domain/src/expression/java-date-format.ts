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
    const ms = utc.getMilliseconds();
    return `${formatDate(utc, "yyyy-MM-dd'T'HH:mm:ss")}${ms === 0 ? '' : `.${String(ms).padStart(3, '0')}`}Z`;
  },
  // RFC_1123_DATE_TIME: "Tue, 3 Jun 2008 11:05:30 GMT", an offset other than zero as +0200.
  rfc_1123_date_time: (date) => `${formatDate(date, 'EEE, d MMM yyyy HH:mm:ss')} ${formatDate(date, 'xx') === '+0000' ? 'GMT' : formatDate(date, 'xx')}`,
  // ISO_WEEK_DATE: "2013-W36-7+02:00".
  iso_week_date: (date) => formatDate(date, "RRRR-'W'II-iXXX"),
};

export const DEFAULT_TIME_ZONE = 'UTC';

/** Java pattern → date-fns pattern. `VV` (zone id) becomes the zone's name as literal text. */
export const toDateFnsPattern = (java: string, timeZone: string): string => {
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
      case 'n': case 'N': case 'A': case 'g':
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
  if (instant !== undefined) return new TZDate(instant, zone);
  const localZone = parts.zone ? checkZone(parts.zone) : zone;
  const local = new TZDate(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second, parts.millisecond, localZone);
  return new TZDate(local.getTime(), zone);
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
    return formatDate(date, toDateFnsPattern(resolveFormat(pattern), date.timeZone ?? DEFAULT_TIME_ZONE), dateFnsOptions);
  } catch (error) {
    if (error instanceof EvaluationFailure) throw error;
    throw new EvaluationFailure(`invalid date format "${pattern}": ${(error as Error).message}`);
  }
};
