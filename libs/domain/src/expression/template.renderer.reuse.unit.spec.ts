import { describe, expect, it } from 'vitest';
import type { ExpressionContext } from './expression-context.js';
import { ExpressionError } from './expression.error.js';
import { evaluateExpression, renderTemplate, renderValue } from './template.renderer.js';

/**
 * The renderer keeps what it can between calls (parsed templates and expressions, one environment
 * per context object): what a rendering sees must stay exactly what a fresh one would.
 */
describe('renderTemplate, rendering again', () => {
  it('gives each context its own values for the same template text', () => {
    const template = 'hello {{ inputs.name }} ({{ inputs.n * 2 }})';
    expect(renderTemplate(template, { inputs: { name: 'ada', n: 1 } } as unknown as ExpressionContext)).toBe('hello ada (2)');
    expect(renderTemplate(template, { inputs: { name: 'bob', n: 2 } } as unknown as ExpressionContext)).toBe('hello bob (4)');
  });

  it('sees a property the context gained after an earlier rendering', () => {
    const context = { inputs: { a: 1 } } as unknown as ExpressionContext;
    expect(renderTemplate('{{ inputs.a }}', context)).toBe('1');
    Object.defineProperty(context, 'workerTaskrun', { value: { value: 'w' }, enumerable: true, configurable: true });
    expect(renderTemplate('{{ workerTaskrun.value }}', context)).toBe('w');
  });

  it('keeps a {% set %} and a loop variable inside their own rendering', () => {
    const context = { inputs: { x: 'context' } } as unknown as ExpressionContext;
    expect(renderTemplate('{% set inputs = {"x": "set"} %}{{ inputs.x }}', context)).toBe('set');
    expect(renderTemplate('{{ inputs.x }}', context)).toBe('context');
    expect(renderTemplate('{% for inputs in [1, 2] %}{{ inputs }}{% endfor %}', context)).toBe('12');
    expect(renderTemplate('{{ inputs.x }}', context)).toBe('context');
    expect(renderValue({ a: '{% set y = 1 %}{{ y }}', b: '{{ y ?? "unset" }}' }, context)).toEqual({ a: '1', b: 'unset' });
  });

  it('throws the same error each time for a template that does not parse', () => {
    const context = { inputs: {} } as unknown as ExpressionContext;
    const first = (() => { try { renderTemplate('{{ 1 + }}', context); } catch (error) { return error; } })();
    const second = (() => { try { renderTemplate('{{ 1 + }}', context); } catch (error) { return error; } })();
    expect(first).toBeInstanceOf(ExpressionError);
    expect((second as Error).message).toBe((first as Error).message);
  });

  it('prints a double the same way when its template is rendered again', () => {
    const context = { inputs: {} } as unknown as ExpressionContext;
    expect(renderTemplate('{{ 10 / 4.0 }} {{ 5.0 }}', context)).toBe('2.5 5.0');
    expect(renderTemplate('{{ 10 / 4.0 }} {{ 5.0 }}', context)).toBe('2.5 5.0');
    expect(evaluateExpression('10 / 4.0', context)).toBe(2.5);
  });
});
