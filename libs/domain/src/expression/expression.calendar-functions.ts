import type { JsonValue } from '../shared/json.js';
import type { ExpressionFunction } from './expression.callables.js';
import { EvaluationFailure } from './expression.error.js';
import { type DateTimeParts, parseDateTimeParts } from './iso-8601.js';
import { toText, type Value } from './expression.values.js';

/**
 * Kestra's calendar functions (Kestra >= 0.23: core/src/main/java/io/kestra/core/runners/pebble/
 * functions/DayOfWeekFunction.java, DayOfMonthFunction, MonthOfYearFunction, HourOfDayFunction,
 * IsWeekendFunction, IsDateBeforeFunction, IsDateAfterFunction, IsDateBetweenFunction). The day,
 * month and hour are read as the text writes them (no conversion to UTC, as Kestra's
 * DateUtils.parseLocalDate); comparisons are of instants, a date or date-time without an offset
 * being UTC (isDateBetween wants offsets, as Kestra's TypeConverter.toZonedDateTime).
 */
const DAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'] as const;

const partsOf = (name: string, arg: string, value: Value): DateTimeParts => {
  if (value === undefined || value === null) throw new EvaluationFailure(`The '${name}()' function expects a '${arg}' argument.`);
  const text = toText(value);
  const parts = parseDateTimeParts(text);
  if (parts === undefined) throw new EvaluationFailure(`The '${name}()' function could not parse '${arg}': "${text}" is not an ISO 8601 date or date-time`);
  return parts;
};

const dayIndex = (p: DateTimeParts): number => new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay();

const instant = (name: string, arg: string, value: Value, needsOffset = false): number => {
  const p = partsOf(name, arg, value);
  if (needsOffset && p.offsetMinutes === undefined) throw new EvaluationFailure(`The '${name}()' function could not parse '${arg}': "${toText(value!)}" has no time zone offset`);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second, p.millisecond) - (p.offsetMinutes ?? 0) * 60_000;
};

const onDate = (name: string, of: (p: DateTimeParts) => JsonValue): ExpressionFunction => ({
  params: ['date'],
  apply: ({ date }) => of(partsOf(name, 'date', date)),
});

export const CALENDAR_FUNCTIONS: Readonly<Record<string, ExpressionFunction>> = {
  dayOfWeek: onDate('dayOfWeek', (p) => DAYS[dayIndex(p)]!),
  dayOfMonth: onDate('dayOfMonth', (p) => p.day),
  monthOfYear: onDate('monthOfYear', (p) => p.month),
  isWeekend: onDate('isWeekend', (p) => dayIndex(p) === 0 || dayIndex(p) === 6),
  hourOfDay: onDate('hourOfDay', (p) => {
    if (!p.hasTime) throw new EvaluationFailure("The 'hourOfDay()' function could not parse 'date': a date-time is needed, not a date");
    return p.hour;
  }),
  isDateBefore: {
    params: ['date', 'reference'],
    apply: ({ date, reference }) => instant('isDateBefore', 'date', date) < instant('isDateBefore', 'reference', reference),
  },
  isDateAfter: {
    params: ['date', 'reference'],
    apply: ({ date, reference }) => instant('isDateAfter', 'date', date) > instant('isDateAfter', 'reference', reference),
  },
  isDateBetween: {
    params: ['date', 'after', 'before'],
    apply: ({ date, after, before }) => {
      const at = instant('isDateBetween', 'date', date, true);
      return at > instant('isDateBetween', 'after', after, true) && at < instant('isDateBetween', 'before', before, true);
    },
  },
};
