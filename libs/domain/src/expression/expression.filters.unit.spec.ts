import { describe, expect, it } from 'vitest';
import type { ExpressionContext } from './expression-context.js';
import { ExpressionError } from './expression.error.js';
import { FILTERS } from './expression.filters.js';
import { evaluateExpression } from './template.renderer.js';

const context: ExpressionContext = {
  inputs: {
    name: 'World',
    text: '  Hello wide World  ',
    tags: ['b', 'a', 'c'],
    nums: [3, 1, 2],
    conf: { k: 'v', n: 1 },
    path: 'a/b/c.txt',
    empty: '',
    nothing: null,
    start: '2025-03-30T00:30:00Z',
  },
  outputs: {},
  execution: { id: 'e', startDate: '2025-01-31T23:15:30.123Z', originalId: 'e' },
  flow: { id: 'f', namespace: 'n', revision: 1 },
  labels: {},
};

const value = (expression: string) => evaluateExpression(expression, context);
const reason = (expression: string): string => {
  try {
    value(expression);
  } catch (error) {
    if (error instanceof ExpressionError) return error.reason;
    throw error;
  }
  throw new Error(`expected an ExpressionError for ${expression}`);
};

describe('text and list filters', () => {
  it.each([
    ['inputs.name | upper', 'WORLD'],
    ['inputs.name | lower', 'world'],
    ['inputs.text | trim', 'Hello wide World'],
    ['"hello world" | capitalize', 'Hello world'],
    ['"hello wide world" | title', 'Hello Wide World'],
    ['"Héllo, Wörld & Co!" | slugify', 'hello-world-co'],
    ['missing | default("d")', 'd'],
    ['inputs.empty | default("d")', 'd'],
    ['inputs.name | default("d")', 'World'],
    ['inputs.tags | length', 3],
    ['inputs.conf | length', 2],
    ['inputs.nothing | length', 0],
    ['inputs.conf | json', '{"k":"v","n":1}'],
    ['inputs.conf | toJson', '{"k":"v","n":1}'],
    ['inputs.tags | jsonEncode', '["b","a","c"]'],
    ['inputs.tags | first', 'b'],
    ['inputs.tags | last', 'c'],
    ['inputs.name | first', 'W'],
    ['[] | first', null],
    ['inputs.tags | join(", ")', 'b, a, c'],
    ['inputs.tags | join', 'bac'],
    ['"a-b-c" | split("-")', ['a', 'b', 'c']],
    ['"a-b-c" | split("-", 2)', ['a', 'b-c']],
    ['inputs.name | replace("World", "there")', 'there'],
    ['"I like %this%" | replace({"%this%": "cake"})', 'I like cake'],
    ['"a1b22" | replace({"[0-9]+": "#"}, regexp=true)', 'a#b#'],
    ['inputs.conf | replace({"v": "w"})', { k: 'w', n: '1' }],
    ['"41" | number + 1', 42],
    ['"1.5" | number', 1.5],
    ['"7" | number("INT")', 7],
    ['"7" | number(type="LONG")', 7],
    ['-3 | abs', 3],
    ['inputs.conf | keys', ['k', 'n']],
    ['inputs.tags | keys', [0, 1, 2]],
    ['inputs.conf | values', ['v', 1]],
    ['inputs.tags | reverse', ['c', 'a', 'b']],
    ['"abc" | reverse', 'cba'],
    ['inputs.nums | sort', [1, 2, 3]],
    ['inputs.path | startsWith("a/")', true],
    ['inputs.path | endsWith(".csv")', false],
    ['inputs.path | substringBefore("/")', 'a'],
    ['inputs.path | substringBeforeLast("/")', 'a/b'],
    ['inputs.path | substringAfter("/")', 'b/c.txt'],
    ['inputs.path | substringAfterLast("/")', 'c.txt'],
    ['inputs.path | substringBefore("#")', 'a/b/c.txt'],
    ['inputs.path | substringAfter("#")', ''],
  ])('%s -> %o', (expression, expected) => {
    expect(value(expression)).toEqual(expected);
  });
});

describe('date filters (Java patterns, UTC unless timeZone says otherwise)', () => {
  it.each([
    ['execution.startDate | date', '2025-01-31T23:15:30.123000Z'],
    ['execution.startDate | date("yyyy-MM-dd")', '2025-01-31'],
    ['execution.startDate | date("yyyy-MM-dd HH:mm", timeZone="Europe/Paris")', '2025-02-01 00:15'],
    ['execution.startDate | date("yyyy-MM-dd\'T\'HH:mm:ssXXX", "Asia/Kolkata")', '2025-02-01T04:45:30+05:30'],
    ['execution.startDate | date("EEE d MMM yy, hh:mm a")', 'Fri 31 Jan 25, 11:15 PM'],
    ['execution.startDate | date("HH:mm:ss.SSS Z")', '23:15:30.123 +0000'],
    ['execution.startDate | date("D u", "UTC")', '31 2025'],
    ['execution.startDate | date("iso_sec")', '2025-01-31T23:15:30Z'],
    ['execution.startDate | date("sql_seq")', '2025-01-31 23:15:30'],
    ['execution.startDate | date("iso_local_date")', '2025-01-31'],
    ['execution.startDate | date("yyyy [VV]", timeZone="Europe/Paris")', '2025 Europe/Paris'],
    ['"2025-01-31" | date("yyyy-MM-dd HH:mm")', '2025-01-31 00:00'],
    ['"2025-01-31T10:00:00" | date("HH:mmXXX", timeZone="Europe/Paris")', '10:00+01:00'],
    ['"31/01/2025 10:00" | date("yyyy-MM-dd\'T\'HH:mmXXX", existingFormat="dd/MM/yyyy HH:mm")', '2025-01-31T10:00Z'],
    ['0 | date("yyyy-MM-dd")', '1970-01-01'],
    ['inputs.nothing | date("yyyy")', null],
    ['execution.startDate | dateAdd(1, "DAYS", "yyyy-MM-dd")', '2025-02-01'],
    ['execution.startDate | dateAdd(-2, "HOURS", format="HH:mm")', '21:15'],
    ['execution.startDate | dateAdd(1, "MONTHS", "yyyy-MM-dd")', '2025-02-28'],
    // A day later across the DST change keeps the local time, like Java's ZonedDateTime.plus(DAYS).
    ['inputs.start | dateAdd(1, "DAYS", "yyyy-MM-dd HH:mmXXX", timeZone="Europe/Paris")', '2025-03-31 01:30+02:00'],
    ['inputs.start | dateAdd(24, "HOURS", "yyyy-MM-dd HH:mmXXX", timeZone="Europe/Paris")', '2025-03-31 02:30+02:00'],
    ['execution.startDate | timestamp', 1738365330],
  ])('%s -> %o', (expression, expected) => {
    expect(value(expression)).toEqual(expected);
  });

  it("keeps Kestra's precision past the millisecond from parse to format (micro and nano digits)", () => {
    const cases: Array<[string, string]> = [
      ["'2024-01-02T03:04:05.123456789Z' | date", '2024-01-02T03:04:05.123456Z'],
      [`'2024-01-02T03:04:05.123456789Z' | date("yyyy-MM-dd'T'HH:mm:ss.nnnnnnnnnX")`, '2024-01-02T03:04:05.123456789Z'],
      ["'2024-01-02T03:04:05.123456Z' | date('iso_instant')", '2024-01-02T03:04:05.123456Z'],
      ["'2024-01-02T03:04:05.120Z' | date('iso_instant')", '2024-01-02T03:04:05.120Z'],
      ["'2024-01-02T03:04:05.123456Z' | dateAdd(1, 'DAYS')", '2024-01-03T03:04:05.123456Z'],
      ["'2024-01-02T03:04:05.123456+02:00' | date", '2024-01-02T01:04:05.123456Z'],
      ["'2024-01-02T03:04:05.123456Z' | timestampMicro", '1704164645000123456'],
      ["'2024-01-02T03:04:05.123456789Z' | timestampNano", '1704164645123456789'],
    ];
    for (const [expression, expected] of cases) expect(String(value(expression))).toBe(expected);
  });

  it('explains bad dates, patterns, zones and units', () => {
    expect(reason('"yesterday" | date')).toBe(
      'filter "date": "yesterday" is not an ISO-8601 date or date-time (give existingFormat for other layouts)',
    );
    expect(reason('execution.startDate | date("yyyy", timeZone="Mars/Olympus")')).toBe('filter "date": unknown time zone "Mars/Olympus"');
    expect(reason('execution.startDate | date("yyyy W")')).toMatch(/^filter "date": invalid date format "yyyy W"/);
    expect(reason('execution.startDate | date("NNN")')).toBe('filter "date": date pattern letter "N" is not supported');
    expect(reason('execution.startDate | date("full")')).toMatch(/localized format "full" is not supported/);
    expect(reason('execution.startDate | date("yyyy", locale="fr")')).toMatch(/locale "fr" is not supported/);
    expect(reason('"x" | date("yyyy", existingFormat="dd/MM")')).toBe('filter "date": "x" does not match the format "dd/MM"');
    expect(reason('execution.startDate | dateAdd(1, "FORTNIGHTS")')).toMatch(/^filter "dateAdd": unit must be one of MILLIS, SECONDS/);
    expect(reason('execution.startDate | dateAdd(1.5, "DAYS")')).toBe('filter "dateAdd": amount must be a whole number, got number');
    expect(reason('inputs.conf | date')).toBe('filter "date": expects a date (ISO-8601 text or epoch seconds), got object');
  });
});

describe('filter errors', () => {
  it.each([
    ['inputs.tags | upper', 'filter "upper" expects text, got list'],
    ['inputs.name | join', 'filter "join" expects a list, got string'],
    ['inputs.name | keys', "'keys' filter can only be applied to List, Map, Array. Actual type was: string"],
    ['"abc" | number', 'filter "number": "abc" is not a number'],
    ['"1.5" | number("INT")', 'filter "number": "1.5" is not a whole number'],
    ['"x" | replace({"(": "y"}, true)', 'filter "replace": invalid regular expression "(": error parsing regexp: missing closing ): `(` (regular expressions run on RE2: no backreferences or lookarounds)'],
    ['inputs.name | date(zone="UTC")', 'filter "date" has no argument "zone"; arguments: format, timeZone, existingFormat, locale'],
  ])('%s', (expression, expected) => {
    expect(reason(expression)).toBe(expected);
  });

  // Completeness (a case for every registered filter) is checked in expression.kestra-filters.unit.spec.ts.
  it('registers every filter the cases above exercise', () => {
    expect(COVERED.filter((name) => !Object.hasOwn(FILTERS, name))).toEqual([]);
  });
});

// The filters the cases above exercise.
const COVERED = [
  'upper', 'lower', 'trim', 'capitalize', 'title', 'slugify', 'default', 'length', 'json', 'toJson', 'jsonEncode', 'first',
  'last', 'join', 'split', 'replace', 'number', 'abs', 'keys', 'values', 'reverse', 'sort', 'startsWith', 'endsWith',
  'substringBefore', 'substringBeforeLast', 'substringAfter', 'substringAfterLast', 'date', 'dateAdd', 'timestamp',
];
