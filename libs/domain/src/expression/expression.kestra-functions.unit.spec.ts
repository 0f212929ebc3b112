import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../shared/json.js';
import type { ExpressionContext } from './expression-context.js';
import { HostCallPending, renderWithHostCalls, type ExpressionHost } from './expression-host.js';
import { ExpressionError } from './expression.error.js';
import { FUNCTIONS } from './expression.functions.js';
import { evaluateExpression, renderTemplate, renderValue } from './template.renderer.js';

/**
 * One case per function of Kestra's Extension.java (core/src/main/java/io/kestra/core/runners/pebble/Extension.java)
 * and Pebble's CoreExtension (max, min, range), from Kestra's tests (K = core/src/test/java/io/kestra/core/runners/pebble/functions/).
 */
const K = 'core/src/test/java/io/kestra/core/runners/pebble/functions/';
const base: ExpressionContext = {
  inputs: {}, outputs: {}, labels: {},
  execution: { id: 'exec1', startDate: '2025-01-31T23:15:30.123Z', originalId: 'exec1' },
  flow: { id: 'my-flow', namespace: 'io.kestra.tests', revision: 1 },
  now: '2025-05-06T07:08:09.000Z',
};
const withVars = (vars: Record<string, JsonValue>, extra: Partial<ExpressionContext> = {}): ExpressionContext =>
  ({ ...base, ...vars, ...extra }) as unknown as ExpressionContext;
const render = (template: string, vars: Record<string, JsonValue> = {}, extra: Partial<ExpressionContext> = {}): string =>
  renderTemplate(template, withVars(vars, extra));
const failure = (template: string, vars: Record<string, JsonValue> = {}, extra: Partial<ExpressionContext> = {}): string => {
  try {
    render(template, vars, extra);
  } catch (error) {
    if (error instanceof ExpressionError) return error.reason;
    throw error;
  }
  throw new Error(`expected ${template} to fail`);
};

const YAML_DOC = `# comment
string: string
int: 123
bool: true
float: 1.23
instant: "1918-02-24T00:00:00Z"
date: "1991-08-20"
object:
  key: "value"
  child:
    key: "value"
array:
  - string
`;

/** name → [template, variables, rendered, source] */
const CASES: Readonly<Record<string, readonly (readonly [string, Record<string, JsonValue>, string, string])[]>> = {
  now: [
    ['{{ now() }}', {}, '2025-05-06T07:08:09.000000Z', 'NowFunction: the "iso" format of AbstractDate'],
    ['{{ now(format="yyyy-MM-dd", timeZone="Asia/Tokyo") }}', {}, '2025-05-06', 'Kestra docs: expressions/function-reference now()'],
  ],
  fromJson: [
    ['{{ fromJson(\'{"test1": 3}\').test1 }}', {}, '3', `${K}FromJsonFunctionTest.java`],
    ['{{ fromJson(null) }}', {}, '', `${K}FromJsonFunctionTest.java`],
  ],
  json: [['{{ json(\'[1, 2]\')[1] }}', {}, '2', `${K}FromJsonFunctionTest.java (deprecated alias)`]],
  jsonDecode: [['{{ jsonDecode(\'{"a": true}\').a }}', {}, 'true', 'Chronicle alias of fromJson']],
  yaml: [
    ['{{ yaml(yaml).string }}', { yaml: YAML_DOC }, 'string', `${K}YamlFunctionTest.java`],
    ['{{ yaml(yaml).int }}', { yaml: YAML_DOC }, '123', `${K}YamlFunctionTest.java`],
    ['{{ yaml(yaml).float }}', { yaml: YAML_DOC }, '1.23', `${K}YamlFunctionTest.java`],
    ['{{ yaml(yaml).instant }}', { yaml: YAML_DOC }, '1918-02-24T00:00:00Z', `${K}YamlFunctionTest.java`],
    ['{{ yaml(yaml).object.child.key }}', { yaml: YAML_DOC }, 'value', `${K}YamlFunctionTest.java`],
    ['{{ yaml(yaml).array[0] }}', { yaml: YAML_DOC }, 'string', `${K}YamlFunctionTest.java`],
  ],
  fromIon: [
    ['{{ fromIon(\'{date:2024-04-21T23:00:00.000Z, title:"Main_Page",views:109787}\').title }}', {}, 'Main_Page', `${K}FromIonFunctionTest.java`],
    ['{{ fromIon(\'{date:2024-04-21T23:00:00.000Z, title:"Main_Page",views:109787}\').views }}', {}, '109787', `${K}FromIonFunctionTest.java`],
    ['{{ fromIon(null) }}', {}, '', `${K}FromIonFunctionTest.java`],
  ],
  render: [
    ['{{ render(input) }}', { input: 'test' }, 'test', `${K}RenderFunctionTest.java`],
    ['{{ render(input) }}', { input: 42 }, '42', `${K}RenderFunctionTest.java`],
    ['{{ render(input) }}', { input: true }, 'true', `${K}RenderFunctionTest.java`],
    ['{{ render(input) }}', { input: null }, '', `${K}RenderFunctionTest.java`],
    ['{{ render(input) }}', { input: '{{a}}', a: '{{b}}', b: 'deep' }, 'deep', `${K}RenderFunctionTest.java`],
    ['{{ render(first) | jq(".second.third") }}', { first: { second: { third: '{{third}}' } }, third: '{{end}}', end: 'awesome' }, '["awesome"]', 'core/src/test/java/io/kestra/core/runners/pebble/filters/JqFilterTest.java'],
  ],
  renderOnce: [
    ['{{ renderOnce(input) }}', { input: 'test' }, 'test', `${K}RenderOncerFunctionTest.java`],
    ['{{ renderOnce(input) }}', { input: '{{someOtherVar}}', someOtherVar: 'test' }, 'test', `${K}RenderOncerFunctionTest.java`],
    ['{{ renderOnce(input) }}', { input: '{{someOtherVar}}', someOtherVar: '{{yetAnotherVar}}', yetAnotherVar: 'test' }, '{{yetAnotherVar}}', `${K}RenderOncerFunctionTest.java`],
  ],
  printContext: [['{{ printContext().test }}', { test: 'value' }, 'value', `${K}FetchContextFunctionTest.java`]],
  fetchContext: [['{{ fetchContext().array }}', { array: ['a', 'b', 'c'] }, '["a","b","c"]', `${K}FetchContextFunctionTest.java`]],
  randomInt: [['{{ randomInt(10, 11) }}', {}, '10', `${K}RandomIntFunctionTest.java (lower inclusive, upper exclusive)`]],
  max: [['{{ max(20, 80, 30) }}', {}, '80', 'Pebble docs: function/max']],
  min: [['{{ min(20, 80, 30) }}', {}, '20', 'Pebble docs: function/min']],
  range: [['{% for i in range(0, 6, 2) %}{{ i }}{% endfor %}', {}, '0246', 'Pebble docs: function/range']],
  fileURI: [['{{ fileURI("/scripts/a.py") }}', {}, 'kestra:///io/kestra/tests/_files/scripts/a.py', `${K}FileURIFunctionTest.java`]],
  errorLogs: [['{{ errorLogs() }}', {}, '[]', `${K}ErrorLogsFunctionTest.java`]],
  encrypt: [['{{ encrypt(key, "") }}', { key: 'I6EGNzRESu3X3pKZidrqCGOHQFUFC0yK' }, '', 'EncryptionService: empty text stays empty']],
  // Kestra >= 0.23's calendar functions (their Javadoc examples): the day as written, comparisons of instants.
  dayOfWeek: [
    ["{{ dayOfWeek('2025-01-06') }}", {}, 'MONDAY', 'DayOfWeekFunction.java'],
    ["{{ dayOfWeek('2025-01-06T00:30:00+02:00') }}", {}, 'MONDAY', 'DayOfWeekFunction.java (no UTC normalization)'],
  ],
  dayOfMonth: [["{{ dayOfMonth('2025-01-31T23:00:00Z') }}", {}, '31', 'DayOfMonthFunction.java']],
  monthOfYear: [["{{ monthOfYear('2025-12-01') }}", {}, '12', 'MonthOfYearFunction.java']],
  hourOfDay: [
    ["{{ hourOfDay('2025-01-06T14:30:00+02:00') }}", {}, '14', 'HourOfDayFunction.java (the hour as written)'],
    ["{{ hourOfDay('2025-01-06T07:05:00') }}", {}, '7', 'HourOfDayFunction.java (no offset)'],
  ],
  isWeekend: [
    ["{{ isWeekend('2025-01-04') }}", {}, 'true', 'IsWeekendFunction.java (a Saturday)'],
    ["{{ isWeekend('2025-01-06') }}", {}, 'false', 'IsWeekendFunction.java'],
  ],
  isDateBefore: [
    ["{{ isDateBefore('2025-01-01T01:00:00+02:00', '2025-01-01T00:00:00Z') }}", {}, 'true', 'IsDateBeforeFunction.java (instants)'],
    ["{{ isDateBefore('2025-01-02', '2025-01-01T12:00:00Z') }}", {}, 'false', 'IsDateBeforeFunction.java (a date is UTC midnight)'],
  ],
  isDateAfter: [["{{ isDateAfter('2025-01-02', '2025-01-01T12:00:00Z') }}", {}, 'true', 'IsDateAfterFunction.java']],
  isDateBetween: [
    ["{{ isDateBetween('2026-03-01T00:00:00Z', '2025-12-31T23:59:59Z', '2026-06-30T23:59:59Z') }}", {}, 'true', 'IsDateBetweenFunction.java'],
    ["{{ isDateBetween('2025-12-31T23:59:59Z', '2025-12-31T23:59:59Z', '2026-06-30T23:59:59Z') }}", {}, 'false', 'IsDateBetweenFunction.java (bounds excluded)'],
  ],
  // Kestra >= 0.22's TasksWithStateFunctionTest: the `tasks` variable, a task's state or a loop value's.
  tasksWithState: [
    ["{{ tasksWithState(state='SUCCESS') is empty }}", { tasks: { hello: { state: 'SUCCESS' } } }, 'false', 'TasksWithStateFunctionTest.java#shouldMatchWhenStateIsString'],
    ["{{ tasksWithState(state='FAILED') is empty }}", { tasks: { hello: { state: 'SUCCESS' } } }, 'true', 'TasksWithStateFunctionTest.java#shouldMatchWhenStateIsString'],
    ["{{ tasksWithState(state='failed') | toJson }}", { tasks: { loop: { 'item-1': { state: 'FAILED' } }, hello: { state: 'SUCCESS' } } }, '[{"taskId":"loop","state":"FAILED","value":"item-1"}]', 'TasksWithStateFunctionTest.java#shouldMatchNestedValueWhenStateIsEnum'],
    ["{{ tasksWithState('SUCCESS') | toJson }}", { tasks: { a: { state: 'SUCCESS' }, b: { state: 'FAILED' } } }, '[{"taskId":"a","state":"SUCCESS"}]', 'TasksWithStateFunction.java'],
  ],
  decrypt: [['{{ decrypt(key, encrypt(key, "toto")) }}', { key: 'I6EGNzRESu3X3pKZidrqCGOHQFUFC0yK' }, 'toto', `${K}EncryptDecryptFunctionTest.java`]],
};

describe("Kestra's and Pebble's functions, from their tests and documentation", () => {
  for (const [name, cases] of Object.entries(CASES)) {
    it.each(cases)(`${name}: %s`, (template, vars, expected) => {
      expect(render(template, vars)).toBe(expected);
    });
  }

  it('has a case for every registered function (here, below, or in the operators spec)', () => {
    // block(): template.kestra-renderer.unit.spec.ts.
    const elsewhere = ['currentEachOutput', 'uuid', 'id', 'nanoId', 'ksuid', 'kv', 'secret', 'read', 'fileSize', 'fileExists', 'isFileEmpty', 'block'];
    const covered = new Set([...Object.keys(CASES), ...elsewhere]);
    expect(Object.keys(FUNCTIONS).filter((name) => !covered.has(name))).toEqual([]);
  });

  it('refuses bad arguments as Kestra does', () => {
    // K RandomIntFunctionTest: missing bounds, text bounds, upper below lower.
    expect(failure('{{ randomInt(lower) }}', { lower: 10 })).toBe("randomInt() expects an argument 'upper'");
    expect(failure('{{ randomInt(lower, upper) }}', { lower: '1', upper: '10' })).toBe("randomInt() expects an argument 'lower' with type Integer, got string");
    expect(failure('{{ randomInt(10, 1) }}')).toBe("In 'GenerateRandomNumber' upper is less than lower");
    // K FromIonFunctionTest / YamlFunctionTest.
    expect(failure('{{ fromIon() }}')).toBe("The 'fromIon' function expects an argument 'ion'.");
    expect(failure("{{ fromIon('{not: ion') }}")).toMatch(/^Invalid ion: /);
    expect(failure("{{ yaml('a: [') }}")).toMatch(/^Invalid yaml: /);
    expect(failure('{{ render(1, recursive="yes") }}')).toBe("The 'render' function expects an optional argument 'recursive' with type boolean.");
    // K FileURIFunctionTest.
    expect(failure('{{ fileURI("../secret") }}')).toBe("fileURI(): path must not contain '../'");
    expect(failure('{{ tasksWithState() }}')).toBe("The 'tasksWithState' function expects an argument 'state'.");
    expect(failure('{{ dayOfWeek() }}')).toBe("The 'dayOfWeek()' function expects a 'date' argument.");
    expect(failure("{{ dayOfWeek('06/01/2025') }}")).toMatch(/^The 'dayOfWeek\(\)' function could not parse 'date'/);
    expect(failure("{{ hourOfDay('2025-01-06') }}")).toMatch(/a date-time is needed/);
    expect(failure("{{ isDateBetween('2026-03-01T00:00:00', '2025-12-31T23:59:59Z', '2026-06-30T23:59:59Z') }}")).toMatch(/has no time zone offset/);
    // K EncryptDecryptFunctionTest: one argument is not enough; a wrong key does not decrypt.
    expect(failure("{{ encrypt('toto') }}")).toBe("The 'encrypt' function expects two arguments 'key' and 'plaintext'.");
    expect(failure("{{ decrypt('toto') }}")).toBe("The 'decrypt' function expects two arguments 'key' and 'encrypted'.");
    const encrypted = render('{{ encrypt(key, "toto") }}', { key: 'I6EGNzRESu3X3pKZidrqCGOHQFUFC0yK' });
    expect(encrypted).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(failure(`{{ decrypt(key, "${encrypted}") }}`, { key: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' })).toMatch(/^decrypt\(\): Tag mismatch/);
  });
});

describe('randomness comes from the context, so a replayed decision renders the same values', () => {
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it('uuid() is a version-4 UUID (K UUIDFunctionTest), id() a base-62 id (K IDFunctionTest)', () => {
    expect(render('{{ uuid() }}')).toMatch(UUID);
    expect(render('{{ id() }}')).toMatch(/^[0-9A-Za-z]{1,22}$/);
  });

  it("nanoId() is 21 characters of Kestra's alphabet, or `length` of `alphabet` (newer Kestra's NanoIDFunction)", () => {
    expect(render('{{ nanoId() }}')).toMatch(/^[0-9A-Za-z_-]{21}$/);
    expect(render('{{ nanoId(length=40, alphabet="ab") }}')).toMatch(/^[ab]{40}$/);
    expect(failure('{{ nanoId(length=1001) }}')).toBe("The 'nanoId()' function field 'length' must be lower than: 1000");
  });

  it('ksuid() is 27 base-62 characters whose first 4 bytes are the seconds since the KSUID epoch (newer Kestra)', () => {
    const id = render('{{ ksuid() }}', {}, { now: '2025-01-01T00:00:00Z' } as never);
    expect(id).toMatch(/^[0-9A-Za-z]{27}$/);
    let n = 0n;
    for (const c of id) n = n * 62n + BigInt('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'.indexOf(c));
    expect(Number(n >> 128n)).toBe(Date.parse('2025-01-01T00:00:00Z') / 1000 - 1_400_000_000);
  });

  it('gives the same values for the same seed, and different draws within one context', () => {
    const context = withVars({}, { randomSeed: 'command-42' });
    const first = renderValue({ a: '{{ uuid() }}', b: '{{ uuid() }}', n: '{{ randomInt(0, 1000000) }}' }, context);
    const again = renderValue({ a: '{{ uuid() }}', b: '{{ uuid() }}', n: '{{ randomInt(0, 1000000) }}' }, withVars({}, { randomSeed: 'command-42' }));
    expect(again).toEqual(first);
    expect((first as Record<string, string>).a).not.toBe((first as Record<string, string>).b);
    const other = renderValue({ a: '{{ uuid() }}' }, withVars({}, { randomSeed: 'command-43' }));
    expect((other as Record<string, string>).a).not.toBe((first as Record<string, string>).a);
  });

  it('without a seed, derives one from the execution, task run and clock', () => {
    const a = render('{{ uuid() }}', {}, { taskrun: { id: 'tr1', attemptsCount: 0 } });
    expect(render('{{ uuid() }}', {}, { taskrun: { id: 'tr1', attemptsCount: 0 } })).toBe(a);
    expect(render('{{ uuid() }}', {}, { taskrun: { id: 'tr2', attemptsCount: 0 } })).not.toBe(a);
  });

  it('randomInt() stays within [lower, upper) (K RandomIntFunctionTest)', () => {
    const context = withVars({}, { randomSeed: 's' });
    for (let i = 0; i < 50; i++) {
      const n = Number(renderTemplate('{{ randomInt(-10, -1) }}', context));
      expect(n >= -10 && n < -1).toBe(true);
    }
  });
});

describe('host functions: kv, secret, read, fileSize, fileExists (docs/expression-host-functions.md)', () => {
  const fileUri = 'kestra:///io/kestra/tests/my-flow/executions/exec1/outputs/out.txt';
  const host: ExpressionHost = {
    kv: ({ namespace, key }) => (namespace === 'io.kestra.tests' && key === 'my_key' ? { field: 'v' } : undefined),
    secret: ({ key }) => {
      if (key !== 'WEBHOOK') throw new Error(`Cannot find secret for key '${key}'.`);
      return 's3cr3t';
    },
    read: (request) => (request.kind === 'internal-storage' ? `file ${request.uri}` : `ns ${request.namespace}/${request.path}`),
    fileSize: () => 11,
    fileExists: ({ uri }) => uri.endsWith('out.txt'),
  };

  it('answers through the host (K KvFunctionTest, ReadFileFunctionTest, FileSizeFunctionTest)', () => {
    expect(render("{{ kv('my_key').field }}", {}, { host })).toBe('v');
    expect(render("{{ kv('missing') }}", {}, { host })).toBe('');
    expect(render("{{ secret('WEBHOOK') }}", {}, { host })).toBe('s3cr3t');
    expect(render("{{ read('scripts/a.py') }}", {}, { host })).toBe('ns io.kestra.tests/scripts/a.py');
    expect(render(`{{ read('${fileUri}') }}`, {}, { host })).toBe(`file ${fileUri}`);
    expect(render(`{{ fileSize('${fileUri}') }}`, {}, { host })).toBe('11');
    expect(render(`{{ fileExists('${fileUri}') }}`, {}, { host })).toBe('true');
    // Newer Kestra's IsFileEmptyFunction: no bytes.
    expect(render(`{{ isFileEmpty('${fileUri}') }}`, {}, { host })).toBe('false');
    expect(render(`{{ isFileEmpty('${fileUri}') }}`, {}, { host: { ...host, fileSize: () => 0 } })).toBe('true');
    expect(failure('{{ isFileEmpty("not-a-uri") }}', {}, { host })).toBe('isFileEmpty(): unable to create the URI from the path not-a-uri');
  });

  it('fails with the name of what is missing', () => {
    expect(failure("{{ kv('missing', errorOnMissing=true) }}", {}, { host })).toBe(
      "kv(): The key 'missing' does not exist in the namespace 'io.kestra.tests'.",
    );
    expect(failure("{{ secret('NOPE') }}", {}, { host })).toBe("secret(): Cannot find secret for key 'NOPE'.");
    // K ReadFileFunctionTest / FileSizeFunctionTest: a file of another execution is refused.
    expect(failure("{{ read('kestra:///io/kestra/tests/my-flow/executions/other/x.txt') }}", {}, { host })).toBe(
      "read(): unable to read the file 'kestra:///io/kestra/tests/my-flow/executions/other/x.txt' as it didn't belong to the current execution",
    );
  });

  it('reads a file of the execution that triggered this one (K ReadFileFunctionTest)', () => {
    const trigger = { namespace: 'parent.ns', flowId: 'parent', executionId: 'p1' };
    expect(render("{{ read('kestra:///parent/ns/parent/executions/p1/x.txt') }}", { trigger }, { host })).toBe(
      'file kestra:///parent/ns/parent/executions/p1/x.txt',
    );
  });

  it('says when no host is given', () => {
    expect(failure("{{ kv('my_key') }}")).toBe('kv() is not available in this context');
    expect(failure("{{ secret('X') }}")).toBe('secret() is not available in this context');
    expect(failure("{{ read('a.txt') }}")).toBe('read() is not available in this context');
    expect(failure(`{{ fileSize('${fileUri}') }}`)).toBe('fileSize() is not available in this context');
  });

  it('renderWithHostCalls fetches what the host misses, then renders again', async () => {
    const fetched: string[] = [];
    const result = await renderWithHostCalls(
      (h) => renderTemplate("{{ kv('a') }}-{{ secret('S') }}-{{ kv('none') ?? 'x' }}", withVars({}, { host: h })),
      async (fn, request) => {
        fetched.push(`${fn}:${String(request.key)}`);
        return fn === 'kv' ? (request.key === 'a' ? 1 : undefined) : 'sec';
      },
    );
    expect(result).toBe('1-sec-x');
    expect(fetched).toEqual(['kv:a', 'secret:S', 'kv:none']);
  });

  it('lets HostCallPending pass through rendering untouched', () => {
    const pending: ExpressionHost = { kv: (request) => { throw new HostCallPending('kv', request); } };
    expect(() => render("{{ kv('a') }}", {}, { host: pending })).toThrow(HostCallPending);
  });
});

describe('errorLogs() and currentEachOutput() read the context', () => {
  it('errorLogs() lists the ERROR logs the context carries (K ErrorLogsFunctionTest)', () => {
    const errorLogs = [{ taskId: 't', message: 'first error message' }];
    expect(evaluateExpression('errorLogs()[0].message', withVars({}, { errorLogs }))).toBe('first error message');
  });
});
