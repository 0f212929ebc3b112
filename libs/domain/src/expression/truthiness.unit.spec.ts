import { describe, expect, it } from 'vitest';
import type { ExpressionContext } from './expression-context.js';
import { renderTemplate } from './template.renderer.js';
import { isTruthy } from './truthiness.js';

describe('isTruthy (Kestra TruthUtils on the rendered text)', () => {
  it.each<[string | null | undefined, boolean]>([
    ['true', true],
    ['1', true],
    ['false', false],
    ['0', false],
    ['-0', false],
    ['', false],
    [null, false],
    [undefined, false],
    // Only the exact texts are false (once trimmed), as in Kestra.
    [' false ', false],
    [' ', false],
    ['  true  ', true],
    ['False', true],
    ['FALSE', true],
    ['no', true],
    ['null', true],
    ['0.0', true],
    ['anything', true],
  ])('%o -> %o', (rendered, expected) => {
    expect(isTruthy(rendered)).toBe(expected);
  });

  // corpus if-condition/*: `condition: "{{inputs.param}}"` with raw (untyped) inputs.
  it.each<[unknown, boolean]>([
    [true, true],
    ['true', true],
    [1, true],
    [false, false],
    ['false', false],
    [0, false],
  ])('if-condition with param %o takes the %o branch', (param, expected) => {
    const context = {
      inputs: { param },
      outputs: {},
      execution: { id: 'e', startDate: '2025-01-01T00:00:00Z', originalId: 'e' },
      flow: { id: 'if-condition', namespace: 'io.kestra.tests', revision: 1 },
      labels: {},
    } as ExpressionContext;
    expect(isTruthy(renderTemplate('{{inputs.param}}', context))).toBe(expected);
  });
});
