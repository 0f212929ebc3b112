import { describe, expect, it } from 'vitest';
import type { ExpressionContext } from './expression-context.js';
import { renderTemplate } from './template.renderer.js';

/**
 * Pebble's range() and `..` (PebbleTemplates/pebble, pebble/src/main/java/io/pebbletemplates/pebble/extension/core/RangeFunction.java;
 * docs: pebbletemplates.io, function/range): arguments start, end, increment; both ends included.
 */
const context = {
  inputs: {}, outputs: {}, labels: {},
  execution: { id: 'e', startDate: '2025-01-01T00:00:00Z', originalId: 'e' }, flow: { id: 'f', namespace: 'n', revision: 1 },
} as unknown as ExpressionContext;
const render = (template: string) => renderTemplate(template, context);

describe("Pebble's range", () => {
  it.each([
    ['{{ range(0, 3) | join(",") }}', '0,1,2,3'],
    ['{{ range(0, 6, 2) | join(",") }}', '0,2,4,6'],
    ['{{ range(start=0, end=6, increment=3) | join(",") }}', '0,3,6'],
    ['{{ range(5, 1, -2) | join(",") }}', '5,3,1'],
    ['{{ range(3, 1) | length }}', '0'],
    // Numbers are Java longs: 1.9 is 1.
    ['{{ range(1.9, 3.2) | join(",") }}', '1,2,3'],
    // Two one-character texts give the characters between them, `..` too.
    ['{{ range("a", "e", 2) | join("") }}', 'ace'],
    ['{% for c in "a".."c" %}{{ c }}{% endfor %}', 'abc'],
  ])('%s renders %s', (template, expected) => {
    expect(render(template)).toBe(expected);
  });

  it("fails with Pebble's messages", () => {
    expect(() => render('{{ range(1, 3, 0) }}')).toThrow(/The increment of the range function must be different than 0/);
    expect(() => render('{{ range("ab", "c") }}')).toThrow(/Arguments of range function must be of type Number or String with a length of 1/);
    expect(() => render('{{ range(1, 3, "x") }}')).toThrow(/The increment of the range function must be a number/);
  });
});
