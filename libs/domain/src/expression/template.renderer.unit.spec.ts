import { describe, expect, it } from 'vitest';
import type { ExpressionContext } from './expression-context.js';
import { ExpressionError } from './expression.error.js';
import { renderTemplate, renderValue } from './template.renderer.js';

const context: ExpressionContext = {
  inputs: { name: 'World', count: 3, tags: ['a', 'b', 'c'], empty: '', nothing: null },
  outputs: {
    concatenate: { values: { message: 'Hello World' } },
    'my-task': { values: { x: 42 } },
  },
  execution: { id: 'exec-1', startDate: '2025-01-01T00:00:00.000Z', originalId: 'exec-1' },
  flow: { id: 'benchmark01', namespace: 'benchmarks', revision: 2 },
  labels: { team: 'data' },
};

const render = (template: string) => renderTemplate(template, context);
const errorOf = (template: string): ExpressionError => {
  try {
    render(template);
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error(`expected ExpressionError for ${template}`);
};

describe('renderTemplate', () => {
  it('renders dotted paths and brackets inside text', () => {
    expect(render('Hello {{ inputs.name }}!')).toBe('Hello World!');
    expect(render('{{ outputs.concatenate.values.message }}')).toBe('Hello World');
    expect(render("{{ outputs['my-task'].values.x }}")).toBe('42');
    expect(render('{{ inputs.tags[1] }}{{execution.id}} {{ flow.namespace }}.{{ flow.id }}@{{ flow.revision }}')).toBe(
      'bexec-1 benchmarks.benchmark01@2',
    );
    expect(render('no expressions {here}')).toBe('no expressions {here}');
  });

  it('renders objects and lists as JSON, null as empty text', () => {
    expect(render('{{ outputs.concatenate }}')).toBe('{"values":{"message":"Hello World"}}');
    expect(render('[{{ inputs.nothing }}]')).toBe('[]');
  });

  it('supports ?? even when the left side is undefined', () => {
    expect(render('{{ trigger.body ?? inputs.name }}')).toBe('World');
    expect(render('{{ inputs.nothing ?? "fallback" }}')).toBe('fallback');
    expect(render('{{ inputs.empty ?? "kept" }}')).toBe('');
  });

  it('supports ternaries, comparisons and boolean logic', () => {
    expect(render('{{ inputs.count > 2 ? "many" : "few" }}')).toBe('many');
    expect(render('{{ inputs.count == 3 and not (inputs.name != "World") }}')).toBe('true');
    expect(render('{{ inputs.count <= 1 or inputs.name == "World" }}')).toBe('true');
    expect(render('{{ "n=" ~ (inputs.count * 2 + 1) }}')).toBe('n=7');
  });

  it.each([
    ['{{ inputs.name | upper }}', 'WORLD'],
    ['{{ inputs.name | lower }}', 'world'],
    ['{{ "  x  " | trim }}', 'x'],
    ['{{ missing | default("d") }}', 'd'],
    ['{{ inputs.empty | default("d") }}', 'd'],
    ['{{ inputs.name | default("d") }}', 'World'],
    ['{{ inputs.tags | length }}', '3'],
    ['{{ inputs.name | length }}', '5'],
    ['{{ inputs.tags | json }}', '["a","b","c"]'],
    ['{{ outputs["my-task"] | toJson }}', '{"values":{"x":42}}'],
    ['{{ inputs.tags | first }}{{ inputs.tags | last }}', 'ac'],
    ['{{ inputs.tags | join(", ") }}', 'a, b, c'],
    ['{{ "a-b-c" | split("-") | join("+") }}', 'a+b+c'],
    ['{{ "a-b-c" | split("-", 2) | last }}', 'b-c'],
    ['{{ inputs.name | replace("World", "there") }}', 'there'],
    ['{{ "41" | number + 1 }}', '42'],
    ['{{ -inputs.count | abs }}', '3'],
    ['{{ "a" ~ inputs.name | upper }}', 'AWORLD'],
  ])('filter: %s -> %s', (template, expected) => {
    expect(render(template)).toBe(expected);
  });

  it('fails on an undefined variable, naming the expression', () => {
    const error = errorOf('Hi {{ inputs.nme }}');
    expect(error.code).toBe('EXPRESSION_INVALID');
    expect(error.expression).toBe('inputs.nme');
    expect(error.message).toBe('cannot render "{{ inputs.nme }}": undefined variable "inputs.nme"');
    expect(errorOf('{{ trigger.body }}').message).toBe('cannot render "{{ trigger.body }}": undefined variable "trigger"');
  });

  it('fails on an unknown filter and on function calls', () => {
    expect(errorOf('{{ inputs.name | shout }}').message).toMatch(/unknown filter "shout"; available: upper, lower/);
    expect(errorOf('{{ shout() }}').message).toMatch(/unknown function "shout"; available: now, currentEachOutput/);
    expect(errorOf('{{ now() }}').message).toBe('cannot render "{{ now() }}": now() is not available here (no clock in this context)');
    // Pebble joins text with + (OperatorUtils.add); arithmetic on anything else but numbers fails.
    expect(errorOf('{{ inputs.name * 1 }}').message).toMatch(/invalid operands for mathematical operation "\*": string and number/);
    expect(errorOf('{{ inputs.name ( }}').reason).toMatch(/^syntax error/);
    expect(errorOf('{{ inputs.name').reason).toBe('unclosed expression, "}}" expected');
    // Kestra's ExtensionCustomizer removes include (macro is kept, see template.kestra-renderer.unit.spec.ts).
    expect(errorOf('{% include "x" %}').reason).toMatch(/unknown tag "include"/);
  });

  it('gives no access to prototypes or built-in functions', () => {
    for (const expression of [
      'inputs.constructor',
      'inputs.name.constructor',
      'inputs["__proto__"]',
      'inputs.toString',
      'inputs.tags.length',
      'inputs.tags.map',
      'constructor',
    ]) {
      expect(errorOf(`{{ ${expression} }}`).reason).toMatch(/^undefined variable/);
    }
    expect(errorOf('{{ inputs | constructor }}').reason).toMatch(/^unknown filter/);
    expect(errorOf('{{ inputs.constructor("x") }}').reason).toMatch(/^unknown function inputs.constructor/);
    expect(errorOf('{{ constructor() }}').reason).toMatch(/^unknown function "constructor"/);
    expect(errorOf('{{ inputs is constructor }}').reason).toMatch(/^unknown test "constructor"/);
    expect(errorOf('{{ inputs.name | date(constructor="x") }}').reason).toMatch(/has no argument "constructor"/);
    expect(render('{{ {"__proto__": {"polluted": 1}} | keys | join }}')).toBe('__proto__');
    expect(render('{{ {"__proto__": 1}.__proto__ }}')).toBe('1');
    expect(({} as Record<string, unknown>).polluted).toBe(undefined);
  });
});

describe('template syntax', () => {
  it("supports Pebble's whitespace control and map literals inside {{ }}", () => {
    expect(render('a   {{- inputs.name -}}   b')).toBe('aWorldb');
    expect(render('{{ {"k": {"n": inputs.count}} | json }}')).toBe('{"k":{"n":3}}');
    expect(render('{# a comment #}x')).toBe('x');
  });

  it('reads now() from the context, never from a clock', () => {
    expect(renderTemplate('{{ now() | date("yyyy-MM-dd") }}', { ...context, now: '2025-03-04T05:06:07.000Z' })).toBe('2025-03-04');
    // The clock is not a variable: only now() reads it.
    expect(() => renderTemplate('{{ now }}', { ...context, now: '2025-03-04T05:06:07.000Z' })).toThrow(/undefined variable "now"/);
  });
});

describe('renderValue', () => {
  it('renders every string in objects and lists and leaves other scalars alone', () => {
    expect(
      renderValue({ message: 'Hello {{ inputs.name }}', nested: [{ n: 1, ok: true, none: null, s: '{{ inputs.count }}' }] }, context),
    ).toEqual({ message: 'Hello World', nested: [{ n: 1, ok: true, none: null, s: '3' }] });
  });
});
