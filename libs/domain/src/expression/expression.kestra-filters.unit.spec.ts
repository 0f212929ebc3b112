import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../shared/json.js';
import type { ExpressionContext } from './expression-context.js';
import { ExpressionError } from './expression.error.js';
import { FILTERS } from './expression.filters.js';
import { evaluateExpression, renderTemplate } from './template.renderer.js';

/**
 * One case per filter of Kestra's Extension.java (core/src/main/java/io/kestra/core/runners/pebble/Extension.java)
 * and Pebble's CoreExtension, taken from Kestra's tests (K = core/src/test/java/io/kestra/core/runners/pebble/filters/)
 * or Pebble's documentation (P = pebbletemplates.io/wiki/filter/<name>).
 */
const K = 'core/src/test/java/io/kestra/core/runners/pebble/filters/';
const vars: JsonValue = {
  second: { string: 'string', int: 1, float: 1.123, list: ['string', 1, 1.123], bool: true, null: null, map: { int: 1, float: 1.123, string: 'string' } },
};
const context: ExpressionContext = {
  inputs: {}, outputs: {}, labels: {},
  execution: { id: 'e', startDate: '2025-01-31T23:15:30.123Z', originalId: 'e' },
  flow: { id: 'f', namespace: 'n', revision: 1 },
  vars: vars as never,
  list: [1, 2, 3, 4, 5, 6, 7, 8, 9],
  nestedList: [[1, 2], 3, [4]],
  my_vars: { test: [1] },
} as unknown as ExpressionContext;

const render = (template: string): string => renderTemplate(template, context);
const value = (expression: string): JsonValue => evaluateExpression(expression, context);
const failure = (template: string): string => {
  try {
    render(template);
  } catch (error) {
    if (error instanceof ExpressionError) return error.reason;
    throw error;
  }
  throw new Error(`expected ${template} to fail`);
};

/** The filters expression.filters.unit.spec.ts exercises (its COVERED list). */
const FILTERS_SPEC_COVERED = [
  'upper', 'lower', 'trim', 'capitalize', 'title', 'slugify', 'default', 'length', 'json', 'toJson', 'jsonEncode', 'first',
  'last', 'join', 'split', 'replace', 'number', 'abs', 'keys', 'values', 'reverse', 'sort', 'startsWith', 'endsWith',
  'substringBefore', 'substringBeforeLast', 'substringAfter', 'substringAfterLast', 'date', 'dateAdd', 'timestamp',
];

/** name → [template, rendered, source] */
const CASES: Readonly<Record<string, readonly (readonly [string, string, string])[]>> = {
  chunk: [['{{ list | chunk(2) }}', '[[1,2],[3,4],[5,6],[7,8],[9]]', `${K}ChunkFilterTest.java`]],
  className: [['{{ vars.second.string | className }}', 'java.lang.String', `${K}JqFilterTest.java typed`]],
  endsWith: [['{{ "Hello World" | endsWith("World") }}', 'true', `${K}EndsWithFilterTest.java`]],
  startsWith: [['{{ "Hello World" | startsWith("Hello") }}', 'true', `${K}StartsWithFilterTest.java`]],
  escapeChar: [
    [`{{ "Let's go" | escapeChar('single') }}`, "Let\\'s go", `${K}EscapeCharFilterTest.java`],
    [`{{ 'He said "hi"' | escapeChar('double') }}`, 'He said \\"hi\\"', `${K}EscapeCharFilterTest.java`],
    [`{{ "it's" | escapeChar('shell') }}`, "it'\\''s", `${K}EscapeCharFilterTest.java`],
  ],
  flatten: [['{{ nestedList | flatten | first }}', '1', `${K}FlattenFilterTest.java`]],
  indent: [
    ["{{ '' | indent(2) }}", '', `${K}IndentFilterTest.java`],
    ['{{ "\n\n" | indent(2) }}', '\n  \n  ', `${K}IndentFilterTest.java`],
    ["{{ 'string' | indent(2) }}", 'string', `${K}IndentFilterTest.java`],
    ['{{ "first line\r\nsecond line" | indent(2) }}', 'first line\r\n  second line', `${K}IndentFilterTest.java`],
    ['{{ "first line\nsecond line" | indent(2, "\t") }}', 'first line\n\t\tsecond line', `${K}IndentFilterTest.java`],
  ],
  nindent: [
    ['{{ "\n\n" | nindent(2) }}', '\n  \n  \n  ', `${K}NindentFilterTest.java`],
    ["{{ 'string' | nindent(2) }}", '\n  string', `${K}NindentFilterTest.java`],
    ['{{ 1 | nindent(2) }}', '\n  1', `${K}NindentFilterTest.java`],
    ['{{ "first line\rsecond line" | nindent(2) }}', '\r  first line\r  second line', `${K}NindentFilterTest.java`],
  ],
  jq: [
    ['{{ [1, 2, 3] | jq(".[0]") | first }}', '1', `${K}JqFilterTest.java`],
    ['{{ my_vars | jq(".test[0]") }}', '[1]', `${K}JqFilterTest.java`],
    ['{{ vars | jq(".second.string") }}', '["string"]', `${K}JqFilterTest.java`],
    ['{{ vars | jq(".second.float") | first }}', '1.123', `${K}JqFilterTest.java`],
    ['{{ vars | jq(".second.list") | first }}', '["string",1,1.123]', `${K}JqFilterTest.java`],
    ['{{ vars.second.list | jq(".[]") }}', '["string",1,1.123]', `${K}JqFilterTest.java`],
    ['{% set object = vars | jq(".second.map") %}{{ object[0].string }}', 'string', `${K}JqFilterTest.java`],
  ],
  keys: [['{{ vars.second.list | keys }}', '[0,1,2]', `${K}KeysFilterTest.java`]],
  values: [['{{ vars.second.map | values }}', '[1,1.123,"string"]', `${K}ValuesFilterTest.java`]],
  md5: [['{{ "hello" | md5 }}', '5d41402abc4b2a76b9719d911017c592', `${K}Md5FilterTest.java`]],
  sha1: [['{{ "hello" | sha1 }}', 'aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d', `${K}Sha1FilterTest.java`]],
  sha512: [[
    '{{ "hello" | sha512 }}',
    '9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043',
    `${K}Sha512FilterTest.java`,
  ]],
  sha256: [['{{ "hello" | sha256 }}', '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824', 'P sha256']],
  number: [['{{ "12.3" | number }}', '12.3', `${K}NumberFilterTest.java`]],
  numberFormat: [
    ['{{ 3.141592653 | numberFormat("#.##") }}', '3.14', 'P numberformat'],
    ['{{ 1234567.891 | numberFormat }}', '1,234,567.891', 'P numberformat (default pattern)'],
    ['{{ 0.5 | numberFormat("0.00") }}', '0.50', 'P numberformat'],
  ],
  replace: [
    ["{{ 'john doe is john doe' | replace({'john': 'jane'}) }}", 'jane doe is jane doe', `${K}ReplaceFilterTest.java`],
    ["{{ 'aa1bb2cc3dd4ee5' | replace({'(\\\\d)': '-$1-'}, regexp=true) }}", 'aa-1-bb-2-cc-3-dd-4-ee-5-', `${K}ReplaceFilterTest.java`],
  ],
  slugify: [['{{ "Test\t\t\ntest*" | slugify }}', 'test-test', `${K}SlugifyFilterTest.java`]],
  substringBefore: [["{{ 'a.b.c' | substringBefore('.') }}", 'a', `${K}SubstringFilterTest.java`]],
  substringAfter: [["{{ 'a.b.c' | substringAfter(separator='.') }}", 'b.c', `${K}SubstringFilterTest.java`]],
  substringBeforeLast: [["{{ 'a.b.c' | substringBeforeLast(separator='.') }}", 'a.b', `${K}SubstringFilterTest.java`]],
  substringAfterLast: [["{{ 'a.b.c' | substringAfterLast('.') }}", 'c', `${K}SubstringFilterTest.java`]],
  toIon: [
    ['{{ vars.second.string | toIon }}', '"string"', `${K}ToIonFilterTest.java`],
    ['{{ vars.second.int | toIon }}', '1', `${K}ToIonFilterTest.java`],
    ['{{ vars.second.float | toIon }}', '1.123e0', `${K}ToIonFilterTest.java (a double here, not Java's float)`],
    ['{{ {"empty_object":{}} | toIon }}', '{empty_object:{}}', `${K}ToIonFilterTest.java`],
    ['{{ null | toIon }}', 'null', `${K}ToIonFilterTest.java`],
  ],
  toJson: [
    ['{{ vars.second.list | toJson }}', '["string",1,1.123]', `${K}ToJsonFilterTest.java`],
    ['{{ {"empty_object":{}} | toJson }}', '{"empty_object":{}}', `${K}ToJsonFilterTest.java`],
    ['{{ null | toJson }}', 'null', `${K}ToJsonFilterTest.java`],
  ],
  json: [['{{ vars.second.string | json }}', '"string"', `${K}ToJsonFilterTest.java`]],
  urldecode: [["{{ 'Kestra rulez !' | urlencode | urldecode }}", 'Kestra rulez !', `${K}UrlDecodeFilter.java`]],
  urlencode: [["{{ 'Kestra rulez !' | urlencode }}", 'Kestra+rulez+%21', 'P urlencode (Java URLEncoder)']],
  yaml: [
    ['{{ vars.second.string | yaml }}', 'string\n', `${K}YamlFilterTest.java`],
    ['{{ vars.second.int | yaml }}', '1\n', `${K}YamlFilterTest.java`],
    ['{{ vars.second.list | yaml }}', ' - string\n - 1\n - 1.123\n', `${K}YamlFilterTest.java`],
    ['{{ vars.second.map | yaml }}', 'int: 1\nfloat: 1.123\nstring: string\n', `${K}YamlFilterTest.java`],
  ],
  timestampMicro: [['{{ "2013-09-08T16:19:12.123Z" | timestampMicro }}', '1378657152000123000', `${K}DateFilterTest.java`]],
  timestampNano: [['{{ "2013-09-08T16:19:12.123Z" | timestampNano }}', '1378657152123000000', `${K}DateFilterTest.java`]],
  timestampMilli: [['{{ "2013-09-08T16:19:12.123Z" | timestampMilli }}', '1378657152123', 'Kestra docs: expressions/filter-reference']],
  // Kestra >= 0.22's RegexMatchFilter, RegexExtractFilter, RegexReplaceFilter (their Javadoc examples): Matcher.find, group, replaceAll.
  regexMatch: [
    ['{{ "hello world" | regexMatch(regex="hello.*") }}', 'true', 'RegexMatchFilter.java'],
    ['{{ "say hello" | regexMatch("^hello") }}', 'false', 'RegexMatchFilter.java (find: anywhere, anchors hold)'],
    ['{{ null | regexMatch("a") }}', 'false', 'RegexMatchFilter.java (null input)'],
  ],
  regexExtract: [
    ['{{ "order-12345-done" | regexExtract(regex="\\\\d+") }}', '12345', 'RegexExtractFilter.java'],
    ['{{ "order-12345-done" | regexExtract("([a-z]+)-(\\\\d+)", group=2) }}', '12345', 'RegexExtractFilter.java (a capture group)'],
    ['{{ "no digits" | regexExtract("\\\\d+") ?? "none" }}', 'none', 'RegexExtractFilter.java (no match: null)'],
  ],
  regexReplace: [
    ['{{ "hello world" | regexReplace(regex="world", replacement="java") }}', 'hello java', 'RegexReplaceFilter.java'],
    ['{{ "2024-01-31" | regexReplace("(\\\\d+)-(\\\\d+)-(\\\\d+)", "$3/$2/$1") }}', '31/01/2024', 'RegexReplaceFilter.java ($n names a capture)'],
  ],
  uniq: [
    ['{{ [1, 2, 1, 3, 2] | uniq }}', '[1,2,3]', "newer Kestra's UniqFilter.java"],
    ['{{ "abc" | uniq }}', 'abc', "newer Kestra's UniqFilter.java (not a list: as it is)"],
  ],
  distinct: [['{{ [1, 2, 1, 3, 2] | distinct }}', '[1,2,3]', 'Kestra docs: expressions/filter-reference']],
  string: [['{{ 12 | string | className }}', 'java.lang.String', 'Kestra docs: expressions/filter-reference']],
  abbreviate: [['{{ "this is a long sentence." | abbreviate(7) }}', 'this...', 'P abbreviate']],
  base64encode: [['{{ "test" | base64encode }}', 'dGVzdA==', 'P base64encode']],
  base64decode: [['{{ "dGVzdA==" | base64decode }}', 'test', 'P base64decode']],
  merge: [
    ['{{ [1, 2] | merge([3, 4]) }}', '[1,2,3,4]', 'P merge'],
    ['{{ {"a": 1} | merge({"b": 2}) }}', '{"a":1,"b":2}', 'P merge'],
  ],
  slice: [
    ['{{ "Mitchell" | slice(1, 3) }}', 'it', 'P slice'],
    ['{{ [1, 2, 3, 4] | slice(1, 3) }}', '[2,3]', 'P slice'],
  ],
  rsort: [['{{ [3, 1, 2] | rsort }}', '[3,2,1]', 'P rsort']],
  sort: [['{{ [3, 1, 2] | sort }}', '[1,2,3]', 'P sort']],
  split: [
    ["{{ 'one,two,three' | split(',') }}", '["one","two","three"]', 'P split'],
    ["{{ 'one,two,three' | split(',', 2) }}", '["one","two,three"]', 'P split (limit)'],
    ["{{ 'a1b22c' | split('\\\\d+') }}", '["a","b","c"]', 'P split: the delimiter is a Java regular expression'],
  ],
  nl2br: [['{{ "a\nb" | nl2br }}', 'a<br />\nb', 'P nl2br']],
};

describe("Kestra's and Pebble's filters, from their tests and documentation", () => {
  for (const [name, cases] of Object.entries(CASES)) {
    it.each(cases)(`${name}: %s`, (template, expected) => {
      expect(render(template)).toBe(expected);
    });
  }

  it('has a case for every registered filter (here or in expression.filters.unit.spec.ts)', () => {
    const covered = new Set([...FILTERS_SPEC_COVERED, ...Object.keys(CASES)]);
    expect(Object.keys(FILTERS).filter((name) => !covered.has(name))).toEqual([]);
  });
});

describe('filters: values and errors as Kestra gives them', () => {
  it('keeps a null input null (indent, nindent, chunk, jq...)', () => {
    // K IndentFilterTest / NindentFilterTest: `null | indent(2)` renders empty.
    for (const name of ['indent(2)', 'nindent(2)', 'chunk(2)', 'jq(".")', 'flatten', 'keys', 'values', 'md5', 'slugify']) {
      expect(value(`null | ${name}`)).toBeNull();
    }
  });

  it('refuses a chunk of something that is not a list (ChunkFilterTest)', () => {
    expect(failure('{{ 1 | chunk(2) }}')).toBe("'chunk' filter can only be applied to List. Actual type was: number");
  });

  it('refuses escapeChar without or with an unknown type (EscapeCharFilterTest)', () => {
    expect(failure("{{ 'Hello' | escapeChar('unknown') }}")).toBe(
      "The 'escapeChar' filter expects the value of 'type' to be either 'single', 'double', or 'shell'.",
    );
  });

  it('toIon of a map writes symbols as field names (ToIonFilterTest)', () => {
    const ion = render('{{ vars.second.map | toIon }}');
    expect(ion).toBe('{int:1,float:1.123e0,string:"string"}');
  });

  it('jq: every result is collected, text input is parsed as JSON, errors name the expression', () => {
    expect(value('"{\\"a\\": [1, 2]}" | jq(".a[]")')).toEqual([1, 2]);
    expect(failure('{{ [1] | jq(".[] | error(\\"boom\\")") }}')).toMatch(/^filter "jq": failed to resolve JQ expression/);
    expect(failure('{{ "not json" | jq(".") }}')).toMatch(/^filter "jq": unable to parse the jq value 'not json' as JSON/);
  });

  it('jq refuses regular-expression builtins and machine reads, which would escape RE2 and determinism', () => {
    expect(failure('{{ ["a"] | jq(".[] | test(\\"(a+)+$\\")") }}')).toBe(
      'filter "jq": "test" is not supported in Chronicle\'s jq (regular expressions and machine reads are refused)',
    );
    expect(failure('{{ 1 | jq("now") }}')).toMatch(/"now" is not supported/);
    // A variable or a field of the same name is fine.
    expect(value('1 | jq(". as $now | {test: $now}")')).toEqual([{ test: 1 }]);
  });
});
