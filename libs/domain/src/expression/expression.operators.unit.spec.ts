import { describe, expect, it } from 'vitest';
import type { ExpressionContext } from './expression-context.js';
import { ExpressionError } from './expression.error.js';
import { evaluateExpression } from './template.renderer.js';

const context: ExpressionContext = {
  inputs: { n: 3, name: 'World', tags: ['a', 'b'], conf: { k: 'v' }, nothing: null, empty: '', zero: 0 },
  outputs: {
    each: { 'value 1': { inner: { x: { value: 'deep' } } } },
    // Kestra's loop outputs: outputs[taskId][outerValue][innerValue]
    loop: { 'value 1': { value: 'first' }, 'value 2': { value: 'second' } },
    nested: { outer: { inner: { value: 'nested' } } },
  },
  execution: { id: 'e1', startDate: '2025-01-01T00:00:00.000Z', originalId: 'e0' },
  flow: { id: 'f', namespace: 'n', revision: 4 },
  task: { id: 't1', type: 'Log' },
  taskrun: { id: 'e1.3', value: 'value 2', startDate: '2025-01-01T00:00:01.000Z', attemptsCount: 2, parentId: 'e1.1' },
  parent: { taskrun: { value: 'value 1' } },
  parents: [{ taskrun: { value: 'value 1' } }, { taskrun: { value: 'v0' } }],
  labels: { team: 'data' },
  trigger: { date: '2025-01-01T00:00:00Z' },
  vars: { region: 'eu' },
};

const value = (expression: string, ctx: ExpressionContext = context) => evaluateExpression(expression, ctx);
const reason = (expression: string): string => {
  try {
    value(expression);
  } catch (error) {
    if (error instanceof ExpressionError) return error.reason;
    throw error;
  }
  throw new Error(`expected an ExpressionError for ${expression}`);
};

describe('variables', () => {
  it('reads every variable the decider provides', () => {
    expect(value('execution.originalId')).toBe('e0');
    expect(value('flow.revision')).toBe(4);
    expect(value('task.id ~ ":" ~ task.type')).toBe('t1:Log');
    expect(value('[taskrun.id, taskrun.value, taskrun.startDate, taskrun.attemptsCount, taskrun.parentId]')).toEqual([
      'e1.3', 'value 2', '2025-01-01T00:00:01.000Z', 2, 'e1.1',
    ]);
    expect(value('parent.taskrun.value')).toBe('value 1');
    expect(value('parents[1].taskrun.value')).toBe('v0');
    expect(value('labels.team ~ trigger.date ~ vars.region')).toBe('data2025-01-01T00:00:00Zeu');
    expect(value("outputs.loop[taskrun.value].value")).toBe('second');
    expect(value('taskrun.attemptsCount == 2 ? "ok" : ko')).toBe('ok');
  });

  it('fails on a missing variable, even inside the branch that runs', () => {
    expect(reason('taskrun.attemptsCount == 3 ? "ok" : ko')).toBe('undefined variable "ko"');
  });
});

describe('operators', () => {
  it.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    // Pebble's OperatorUtils: two whole numbers divide as Java's integers.
    ['10 / 4', 2],
    ['10 / 2.5', 4],
    // ... and widen to double when either side is one, even a whole one written as such.
    ['10 / 4.0', 2.5],
    ['10.0 / 4', 2.5],
    ['(inputs.n + 1.0) / 8', 0.5],
    ['inputs.n / 2', 1],
    ['10 % 4', 2],
    ['-inputs.n', -3],
    ['inputs.n == 3', true],
    ['inputs.n equals 3', true],
    ['inputs.n != 3', false],
    ['inputs.n < 4 and inputs.n >= 3', true],
    ['inputs.n > 4 or inputs.n <= 2', false],
    ['"a" < "b"', true],
    ['inputs.tags == ["a", "b"]', true],
    ['inputs.conf == {"k": "v"}', true],
    ['not inputs.zero', true],
    ['!inputs.name', false],
    ['inputs.nothing ?? "fallback"', 'fallback'],
    ['missing.deep ?? "fallback"', 'fallback'],
    ['inputs.nothing ??? "kept null"', null],
    ['missing ??? "undefined only"', 'undefined only'],
    ['inputs.empty ?? "empty is not null"', ''],
    ['inputs.n > 2 ? "big" : "small"', 'big'],
    ['"x" ~ 1 ~ true ~ null', 'x1true'],
    ['inputs.tags contains "b"', true],
    ['inputs.tags contains ["a", "b"]', true],
    ['inputs.tags contains "z"', false],
    ['inputs.name contains "orl"', true],
    ['inputs.conf contains "k"', true],
    ['"b" in inputs.tags', true],
    ['"z" in inputs.tags', false],
    ['[1, [2, 3], {"a": none}]', [1, [2, 3], { a: null }]],
    ['{"a": 1, b: inputs.n}', { a: 1, b: 3 }],
    ['inputs["conf"]["k"]', 'v'],
    ["outputs['loop']['value 1'].value", 'first'],
    ['inputs.tags[0]', 'a'],
  ])('%s -> %o', (expression, expected) => {
    expect(value(expression)).toEqual(expected);
  });

  it('follows Pebble precedence: ?? and ~ bind tighter than |, | tighter than comparisons and arithmetic', () => {
    expect(value('"a" ~ inputs.name | upper')).toBe('AWORLD');
    expect(value('inputs.name | upper ~ "!"')).toBe('WORLD!');
    expect(value('inputs.name | lower | upper ~ "!" ~ "?"')).toBe('WORLD!?');
    expect(value('inputs.nothing ?? "x" | upper')).toBe('X');
    expect(value('inputs.tags | length > 1')).toBe(true);
    expect(value('inputs.tags | length + 1')).toBe(3);
    expect(value('-inputs.n | abs')).toBe(3);
    expect(value('inputs.n == 3 and inputs.name == "World" or false')).toBe(true);
    // Pebble's `not` takes the whole rest of the condition.
    expect(value('not inputs.zero or true')).toBe(false);
    expect(value('not inputs.zero and false')).toBe(true);
    expect(value('(not inputs.zero) and false')).toBe(false);
    expect(value('inputs.n > 1 ? "a" ~ "b" : "c"')).toBe('ab');
  });
});

describe('tests (is / is not)', () => {
  it.each([
    ['inputs.n is defined', true],
    ['inputs.missing is defined', false],
    ['inputs.nothing is defined', false],
    ['missing.deep.path is not defined', true],
    ['inputs.n is not defined', false],
    ['inputs.nothing is null', true],
    ['inputs.n is null', false],
    ['inputs.empty is empty', true],
    ['inputs.tags is empty', false],
    ['inputs.tags is not empty', true],
    ['inputs.n is odd', true],
    ['inputs.zero is even', true],
    ['inputs.tags is iterable', true],
    ['inputs.conf is map', true],
    ['\'{"a":1}\' is json', true],
    ['"{oops" is json', false],
    ['inputs.missing is defined and inputs.missing > 1', false],
    ['inputs.n is defined and inputs.n > 1', true],
    ['inputs.missing is  not defined and true', true],
  ])('%s -> %o', (expression, expected) => {
    expect(value(expression)).toBe(expected);
  });
});

describe('functions', () => {
  it('reads now() from the context', () => {
    // Kestra's NowFunction formats like the date filter, "iso" by default (microseconds, offset).
    expect(value('now()', { ...context, now: '2025-05-06T07:08:09.000Z' })).toBe('2025-05-06T07:08:09.000000Z');
  });

  it('parses JSON and builds bounded ranges', () => {
    expect(value('fromJson(\'{"a":[1]}\').a[0]')).toBe(1);
    expect(value('json("[1,2]") | length')).toBe(2);
    expect(value('range(1, 5, 2)')).toEqual([1, 3, 5]);
    expect(reason('range(0, 1000000)')).toBe('range would build 1000001 items; at most 10000');
    expect(reason('fromJson("{")')).toMatch(/^fromJson: invalid JSON/);
  });

  it("picks the current iteration's output with currentEachOutput", () => {
    const inLoop: ExpressionContext = {
      ...context,
      outputs: { out: { outer: { inner: { value: 'found' } } } },
      taskrun: { id: 'x', value: 'inner' },
      parents: [{ taskrun: { value: 'outer' } }],
    };
    expect(value("currentEachOutput(outputs['out']).value", inLoop)).toBe('found');
    expect(value('currentEachOutput(outputs.loop).value', { ...context, parents: [] })).toBe('second');
  });
});

describe('errors name the reason', () => {
  it.each([
    ['inputs.tags * 1', 'invalid operands for mathematical operation "*": list and number'],
    ['1 / 0', 'division by zero'],
    ['inputs.tags < 1', 'cannot compare list < number'],
    ['inputs.n is shouting', 'unknown test "shouting"; available: defined, null, empty, even, odd, iterable, map, json'],
    ['inputs.n = 3', '"=" only names an argument inside a filter or function call, e.g. date("yyyy", timeZone="UTC"); compare with "=="'],
    ['inputs.name | upper(1)', 'filter "upper" takes at most 0 arguments, got 1'],
    ['inputs.name | join(separator=",", separator=";")', 'filter "join": argument "separator" given twice'],
    ['inputs.name | split(delimiter="-", 2)', 'filter "split": positional arguments must come before named ones'],
    ['{"a" 1}', 'syntax error: expected ":" after a map key at character 6'],
    ['inputs.tags[5]', 'undefined variable "inputs.tags[5]" (no item 5 in a list of 2)'],
    ['inputs.nothing.x', 'undefined variable "inputs.nothing.x" (inputs.nothing is null)'],
  ])('%s', (expression, expected) => {
    expect(reason(expression)).toBe(expected);
  });

  it('puts the expression in the message', () => {
    expect(() => value('inputs.nope | upper')).toThrow('cannot render "{{ inputs.nope | upper }}": undefined variable "inputs.nope"');
  });
});
