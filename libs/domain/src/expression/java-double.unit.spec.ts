import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../shared/json.js';
import type { ExpressionContext } from './expression-context.js';
import { javaDoubleText } from './java-double.js';
import { renderTemplate } from './template.renderer.js';

/**
 * Pebble prints a double with Java's Double.toString (Pebble's PrintNode writes the value's
 * toString; OperatorUtils widens `10 / 2.0` to a double): `5.0`, not `5`. FLOAT inputs are
 * Floats in Kestra (FlowInputOutput.parseType: Float.valueOf), printed the same way; Kestra's
 * inputs.yaml flow (core/src/test/resources/flows/valids/inputs.yaml) returns `{{inputs.float}}`.
 */
const context = (extra: Record<string, JsonValue> = {}, doubles?: string[]): ExpressionContext =>
  ({ inputs: {}, outputs: {}, labels: {}, execution: { id: 'e', startDate: '', originalId: 'e' }, flow: { id: 'f', namespace: 'n', revision: 1 }, ...extra, ...(doubles ? { doubles } : {}) }) as unknown as ExpressionContext;

describe("Java's Double.toString", () => {
  it.each([
    [5, '5.0'], [2.5, '2.5'], [0, '0.0'], [-3, '-3.0'], [0.001, '0.001'], [1234567.5, '1234567.5'],
    [1e7, '1.0E7'], [12345678.9, '1.23456789E7'], [0.0001, '1.0E-4'], [1.5e-5, '1.5E-5'], [-2e10, '-2.0E10'],
  ])('%d prints %s', (value, text) => {
    expect(javaDoubleText(value)).toBe(text);
  });
});

describe('printing doubles in templates', () => {
  it('a whole double prints as Pebble does: literals and arithmetic over one', () => {
    expect(renderTemplate('{{ 10 / 2.0 }}', context())).toBe('5.0');
    expect(renderTemplate('{{ 5.0 }}', context())).toBe('5.0');
    expect(renderTemplate('{{ 2.5 * 2 }}', context())).toBe('5.0');
    expect(renderTemplate('{{ -1.0 }}', context())).toBe('-1.0');
  });

  it('integers stay integers', () => {
    expect(renderTemplate('{{ 10 / 2 }}', context())).toBe('5');
    expect(renderTemplate('{{ 10 / 4 }}', context())).toBe('2');
    expect(renderTemplate('{{ 5 }}', context())).toBe('5');
    expect(renderTemplate('{{ n }}', context({ n: 5 }))).toBe('5');
  });

  it('a FLOAT input is a double: prints 5.0 and divides as doubles', () => {
    const ctx = context({ inputs: { float: 5, int: 5 } }, ['inputs.float']);
    expect(renderTemplate('{{ inputs.float }}', ctx)).toBe('5.0');
    expect(renderTemplate("{{ inputs['float'] }}", ctx)).toBe('5.0');
    expect(renderTemplate('{{ inputs.float / 2 }}', ctx)).toBe('2.5');
    expect(renderTemplate('{{ inputs.int / 2 }}', ctx)).toBe('2');
    expect(renderTemplate('{{ inputs.int }}', ctx)).toBe('5');
  });

  it('a double not whole prints as before; a double inside text joins as text', () => {
    expect(renderTemplate('{{ 10 / 4.0 }}', context())).toBe('2.5');
    expect(renderTemplate('{{ inputs.float }}', context({ inputs: { float: 42.42 } }, ['inputs.float']))).toBe('42.42');
  });
});

