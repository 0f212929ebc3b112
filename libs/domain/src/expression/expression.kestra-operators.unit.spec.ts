import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../shared/json.js';
import type { ExpressionContext } from './expression-context.js';
import { ExpressionError } from './expression.error.js';
import { compileRegex } from './expression.regex.js';
import { TESTS } from './expression.tests.js';
import { evaluateExpression, renderTemplate } from './template.renderer.js';

/**
 * Pebble's operators as Kestra configures them (Pebble's CoreExtension.getBinaryOperators, Kestra's
 * Extension.getBinaryOperators for `??`/`???`; tests in core/src/test/java/io/kestra/core/runners/pebble/expression/),
 * Kestra's strict variables (VariableRenderer: strictVariables(true)), and linear-time regular expressions (issue 18).
 */
const context = {
  inputs: { name: 'World', list: [1, 2, 3], map: { a: 1 }, nothing: null },
  outputs: {}, labels: {},
  execution: { id: 'e', startDate: '2025-01-31T23:15:30.123Z', originalId: 'e' },
  flow: { id: 'f', namespace: 'n', revision: 1 },
} as unknown as ExpressionContext;

const value = (expression: string): JsonValue => evaluateExpression(expression, context);
const render = (template: string): string => renderTemplate(template, context);
const error = (template: string): ExpressionError => {
  try {
    render(template);
  } catch (e) {
    if (e instanceof ExpressionError) return e;
    throw e;
  }
  throw new Error(`expected ${template} to fail`);
};

describe("Pebble's operators", () => {
  it.each([
    ['1..3', [1, 2, 3]],
    ['0 .. 2', [0, 1, 2]],
    ['(1..4) | length', 4],
    ['inputs.list[0]..inputs.list[2]', [1, 2, 3]],
    ['"a..b" | split("\\\\.\\\\.")', ['a', 'b']],
    ['2 in inputs.list', true],
    ['inputs.list contains 2', true],
    ['"orl" in inputs.name', true],
    ['inputs.map contains "a"', true],
    ['"a" ~ 1 ~ true', 'a1true'],
    ['10 % 4 + 2 * 3 - 1', 7],
    ['7 / 2', 3],
    ['7.5 / 2', 3.75],
    ['"a" + 1', 'a1'],
    ['"a" + inputs.nothing', 'anull'],
    ['[1, 2] + 3', [1, 2, 3]],
    ['[1, 2, 3] - [2]', [1, 3]],
    ['inputs.nothing > 1', false],
    ['inputs.name == "World" ? "yes" : "no"', 'yes'],
    ['not (1 > 2) and 1 <= 1', true],
    ['inputs.name equals "World"', true],
    ['3 is odd', true],
    ['4 is even', true],
    ['inputs.name is defined', true],
    ['inputs.list is iterable', true],
    ['inputs.map is map', true],
    ['inputs.nothing is null', true],
    ['inputs.name is not empty', true],
    ['"{}" is json', true],
    // Pebble's EmptyTest trims text, and DefaultFilter applies it.
    ['"   " is empty', true],
    ['"   " | default("x")', 'x'],
  ])('%s', (expression, expected) => {
    expect(value(expression)).toEqual(expected);
  });

  it("has a case above for every test (Pebble's CoreExtension.getTests and Kestra's json)", () => {
    const covered = ['odd', 'even', 'defined', 'iterable', 'map', 'null', 'empty', 'json'];
    expect(Object.keys(TESTS).filter((name) => !covered.includes(name))).toEqual([]);
  });

  it('iterates a range in a for loop (Pebble docs: tag/for)', () => {
    expect(render('{% for i in 1..3 %}{{ i }}{% endfor %}')).toBe('123');
  });

  it('?? falls back on null or undefined, ??? on undefined only (NullCoalescingExpressionTest, UndefinedCoalescingExpressionTest)', () => {
    expect(value('missing ?? "default"')).toBe('default');
    expect(value('inputs.nothing ?? "default"')).toBe('default');
    expect(value('missing ??? "default"')).toBe('default');
    expect(value('inputs.nothing ??? "default"')).toBeNull();
    expect(value('inputs.missing.deeper ?? "d"')).toBe('d');
  });
});

describe("Kestra's strict variables", () => {
  it('fails on an undefined variable, naming it and the expression', () => {
    const e = error('Hello {{ foo.bar }}');
    expect(e.expression).toBe('foo.bar');
    expect(e.reason).toBe('undefined variable "foo"');
    expect(e.message).toBe('cannot render "{{ foo.bar }}": undefined variable "foo"');
  });

  it('names the missing attribute of a defined variable', () => {
    expect(error('{{ inputs.missing }}').reason).toBe('undefined variable "inputs.missing"');
    expect(error('{{ inputs.list[5] }}').reason).toBe('undefined variable "inputs.list[5]" (no item 5 in a list of 3)');
  });

  it('is guarded by ??, default and "is defined"', () => {
    expect(render('{{ foo.bar ?? "x" }}')).toBe('x');
    expect(render('{{ foo | default("x") }}')).toBe('x');
    expect(render('{{ foo is defined ? foo : "x" }}')).toBe('x');
    expect(render('{% if foo is not defined %}none{% endif %}')).toBe('none');
  });
});

describe('regular expressions run on RE2 (issue 18)', () => {
  it('finishes a catastrophic pattern for a backtracking engine and gives the right answer', () => {
    // `(a+)+$` against "aaaa...b" takes exponential time on a backtracking engine (JavaScript's, Java's).
    const input = `${'a'.repeat(5000)}b`;
    expect(renderTemplate('{{ text | replace({"(a+)+$": "X"}, regexp=true) }}', { ...context, text: input } as never)).toBe(input);
    expect(renderTemplate('{{ text | split("(a+)+c") | length }}', { ...context, text: input } as never)).toBe('1');
    expect(compileRegex('(a+)+$', 'test').matches(input)).toBe(false);
  });

  it('uses RE2 semantics: backreferences and lookarounds are refused with a clear error', () => {
    expect(error('{{ "aa" | replace({"(a)\\\\1": "x"}, regexp=true) }}').reason).toBe(
      'filter "replace": invalid regular expression "(a)\\1": error parsing regexp: invalid escape sequence: `\\1`' +
        ' (regular expressions run on RE2: no backreferences or lookarounds)',
    );
    expect(error('{{ "ab" | split("(?=b)") }}').reason).toMatch(/^filter "split": invalid regular expression "\(\?=b\)": .*\(regular expressions run on RE2/);
  });

  it("keeps Java's replacement syntax ($1 groups, \\$ for a dollar)", () => {
    expect(render('{{ "a1" | replace({"(\\\\d)": "\\\\$$1"}, regexp=true) }}')).toBe('a$1');
  });
});

describe("Pebble's tags as Kestra keeps them (ExtensionCustomizer removes autoescape, extends, embed, flush, import, include, parallel, cache, from)", () => {
  it('verbatim is raw (Pebble docs: tag/verbatim)', () => {
    expect(render('{% verbatim %}{{ not rendered }}{% endverbatim %}')).toBe('{{ not rendered }}');
    expect(render('{% raw %}{{ not rendered }}{% endraw %}')).toBe('{{ not rendered }}');
  });

  it('refuses the tags Kestra removes, naming them', () => {
    expect(error('{% include "x" %}').reason).toBe('unknown tag "include" (supported: for, if, set, filter, block, macro, raw, verbatim)');
  });
});
