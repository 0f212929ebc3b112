import { describe, expect, it } from 'vitest';
import type { ExpressionContext } from './expression-context.js';
import { renderTemplate } from './template.renderer.js';

/**
 * Kestra's DateFilterTest (core/src/test/java/io/kestra/core/runners/pebble/filters/DateFilterTest.java),
 * with NOW = 2013-09-08T16:19:12.123+01:00 (Chronicle's dates carry milliseconds, Kestra's test has microseconds).
 */
const context = {
  inputs: {}, outputs: {}, labels: {},
  execution: { id: 'e', startDate: '2025-01-31T23:15:30.123Z', originalId: 'e' },
  flow: { id: 'f', namespace: 'n', revision: 1 },
  zoned: '2013-09-08T16:19:12.123+01:00',
  now: '2025-01-01T10:00:00Z',
} as unknown as ExpressionContext;

describe("Kestra's date filters (DateFilterTest)", () => {
  it.each([
    ['{{ "July 24, 2001" | date("yyyy-MM-dd", existingFormat="MMMM dd, yyyy") }}', '2001-07-24'],
    ['{{ "2013-09-08T17:19:12+02:00" | date(timeZone="Europe/Paris") }}', '2013-09-08T17:19:12.000000+02:00'],
    ['{{ "2013-09-08T17:19:12" | date(timeZone="Europe/Paris") }}', '2013-09-08T17:19:12.000000+02:00'],
    ['{{ "2013-09-08" | date(timeZone="Europe/Paris") }}', '2013-09-08T00:00:00.000000+02:00'],
    ['{{ zoned | date(format="iso", timeZone="Europe/Paris") }}', '2013-09-08T17:19:12.123000+02:00'],
    ['{{ zoned | date(format="iso_sec", timeZone="Europe/Paris") }}', '2013-09-08T17:19:12+02:00'],
    ['{{ zoned | timestamp(timeZone="Europe/Paris") }}', '1378653552'],
    ["{{ (zoned | timestamp) > (zoned | dateAdd(-1, 'DAYS') | timestamp) }}", 'true'],
    ["{{ 'Tue, 08 Feb 2022 19:38:26 GMT' | date(existingFormat='rfc_1123_date_time', timeZone=\"Europe/Paris\") }}", '2022-02-08T20:38:26.000000+01:00'],
    ['{{ zoned | timestampNano(timeZone="Europe/Paris") }}', '1378653552123000000'],
    // Kestra's timestampMicro: epoch seconds in nanoseconds plus the microseconds of the second.
    ['{{ zoned | timestampMicro(timeZone="Europe/Paris") }}', '1378653552000123000'],
    ['{{ zoned | dateAdd(-1,"DAYS",timeZone="Europe/Paris") }}', '2013-09-07T17:19:12.123000+02:00'],
    ['{{ now(format="iso_local_date") }}', '2025-01-01'],
    ['{{ now(timeZone="Europe/Paris") }}', '2025-01-01T11:00:00.000000+01:00'],
  ])('%s', (template, expected) => {
    expect(renderTemplate(template, context)).toBe(expected);
  });

  it.each([
    // AbstractDate's named formatters: ISO_INSTANT, RFC_1123_DATE_TIME, ISO_WEEK_DATE, ISO_ORDINAL_DATE.
    ['iso_instant', '2013-09-08T15:19:12.123Z'],
    ['rfc_1123_date_time', 'Sun, 8 Sep 2013 15:19:12 GMT'],
    ['iso_week_date', '2013-W36-7Z'],
    ['iso_ordinal_date', '2013-251Z'],
  ])('formats %s', (format, expected) => {
    expect(renderTemplate(`{{ zoned | date("${format}") }}`, context)).toBe(expected);
  });
});
