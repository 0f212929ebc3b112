import { describe, expect, it } from 'vitest';
import type { ExpressionContext } from './expression-context.js';
import { MAX_JQ_STEPS } from './expression.jq.js';
import { renderTemplate } from './template.renderer.js';

const render = (template: string): string => renderTemplate(template, {} as ExpressionContext);

describe('jq in expressions', () => {
  it('stops a program past its step budget, naming the limit, instead of holding the thread', () => {
    // Without a budget each of these runs for minutes on the thread that renders (the executor's).
    for (const program of ['last(range(10000000000))', 'reduce range(10000000000) as $x (0; .+1)', '[range(100000) as $i | range(100000)] | length']) {
      expect(() => render(`{{ 1 | jq('${program}') }}`)).toThrow(`took more than ${MAX_JQ_STEPS} steps`);
    }
  });

  it('runs ordinary programs, the budget counted afresh for each', () => {
    expect(render(`{{ {'a': [1, 2, {'b': 3}]} | jq('.a[2].b') | first }}`)).toBe('3');
    for (let i = 0; i < 3; i++) expect(render(`{{ 1 | jq('[range(300000)] | length') | first }}`)).toBe('300000');
  });
});
