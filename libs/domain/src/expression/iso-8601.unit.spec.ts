import { describe, expect, it } from 'vitest';
import { instantOf, parseDateTimeParts, parseIsoDuration, parseTimeOfDay } from './iso-8601.js';

describe('parseIsoDuration', () => {
  it.each<[string, number | undefined]>([
    ['PT30S', 30_000],
    ['PT5M', 300_000],
    ['PT1H30M', 5_400_000],
    ['P1D', 86_400_000],
    ['P1DT2H', 93_600_000],
    ['P2W', 1_209_600_000],
    ['PT0.5S', 500],
    ['pt1m', 60_000],
    ['-PT1S', -1000],
    ['P1M', undefined],
    ['P1Y', undefined],
    ['PT', undefined],
    ['P', undefined],
    ['30s', undefined],
    ['', undefined],
  ])('%s -> %o', (text, expected) => {
    expect(parseIsoDuration(text)).toBe(expected);
  });
});

describe('ISO date-times and times', () => {
  it('reads instants only when the text has an offset', () => {
    expect(instantOf(parseDateTimeParts('2025-01-31T10:00:00+01:00')!)).toBe(Date.UTC(2025, 0, 31, 9));
    expect(instantOf(parseDateTimeParts('2025-01-31T10:00:00')!)).toBe(undefined);
    expect(parseDateTimeParts('2025-01-31')).toMatchObject({ hasTime: false, year: 2025, month: 1, day: 31 });
    expect(parseDateTimeParts('2025-01-31T10:00:00+01:00[Europe/Paris]')).toMatchObject({ offsetMinutes: 60, zone: 'Europe/Paris' });
    expect(parseDateTimeParts('2025-13-01')).toBe(undefined);
    expect(parseDateTimeParts('2025-01-31Z')).toBe(undefined);
  });

  it('reads times of day', () => {
    expect(parseTimeOfDay('10:30')).toBe(37_800_000);
    expect(parseTimeOfDay('00:00:01.5')).toBe(1500);
    expect(parseTimeOfDay('10:60')).toBe(undefined);
  });
});
