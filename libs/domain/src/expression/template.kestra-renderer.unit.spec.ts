import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../shared/json.js';
import type { ExpressionContext } from './expression-context.js';
import { ExpressionError } from './expression.error.js';
import { renderTemplate, renderValue } from './template.renderer.js';

/** Kestra's PebbleVariableRendererTest (core/src/test/java/io/kestra/core/runners/pebble/PebbleVariableRendererTest.java). */
const vars = (extra: Record<string, JsonValue>): ExpressionContext =>
  ({ inputs: {}, outputs: {}, labels: {}, execution: { id: 'e', startDate: '', originalId: 'e' }, flow: { id: 'f', namespace: 'n', revision: 1 }, ...extra }) as unknown as ExpressionContext;
const blockVars = vars({ block: { test: { child: 'awesome' } }, inner: 'test' });

describe("Kestra's variable renderer", () => {
  it('firstDefined / firstDefinedEval: "is defined" guards paths and computed keys', () => {
    expect(renderTemplate('{{ inner.bla is not defined ? block.test.child : null }}', blockVars)).toBe('awesome');
    expect(renderTemplate('{{ block.test.child is defined ? block.test.child : inner.bla }}', blockVars)).toBe('awesome');
    expect(renderTemplate('{{ block[inner].child is defined ? block[inner].child : null }}', blockVars)).toBe('awesome');
    expect(renderTemplate('{{ block[missing].child is defined ? null : block[inner].child }}', blockVars)).toBe('awesome');
    expect(renderTemplate('{{ block[missing].child is not defined ? (block[missing2].child is not defined ? block[inner].child : null) : null }}', blockVars)).toBe('awesome');
    expect(renderTemplate('{{ missing is defined ? null : block.test.child }}', blockVars)).toBe('awesome');
    expect(() => renderTemplate('{{ missing is defined ? missing : missing2 }}', blockVars)).toThrow(ExpressionError);
  });

  it('get: brackets with text and variables', () => {
    expect(renderTemplate("{{ block['test'] }}", blockVars)).toBe('{"child":"awesome"}');
    expect(renderTemplate("{{ block['test']['child'] }}", blockVars)).toBe('awesome');
    expect(renderTemplate("{{ block[inner]['child'] }}", blockVars)).toBe('awesome');
    expect(() => renderTemplate('{{ get missing }}', blockVars)).toThrow(ExpressionError);
  });

  it('raw: its content is text, whatever the whitespace control', () => {
    const v = vars({ var: '1' });
    expect(renderTemplate('See some code {% raw %}{{ var }}{% endraw %}', v)).toBe('See some code {{ var }}');
    expect(renderTemplate('See some code {%raw%}{{ var }}{%endraw%}', v)).toBe('See some code {{ var }}');
    expect(renderTemplate('See some code {%-  raw%}{{ var }}{%endraw -%}', v)).toBe('See some code {{ var }}');
    expect(renderTemplate('See some code {% raw %}{{ var }}{% endraw %} and some other code {% raw %}{{ var2 }}{% endraw %}', v))
      .toBe('See some code {{ var }} and some other code {{ var2 }}');
  });

  it('recursive: render() renders again, recursive=false once, and gives up on a loop', () => {
    const v = vars({ first: '1', second: '{{first}}', third: '{{second}}', fourth: '{{render(third, recursive=false)}}', map: { third: '{{third}}' }, list: ['{{third}}'] });
    expect(renderTemplate('{{ third }}', v)).toBe('{{second}}');
    expect(renderTemplate('{{ render(third, recursive=false) }}', v)).toBe('{{first}}');
    expect(renderTemplate('{{ render(third) }}', v)).toBe('1');
    expect(renderTemplate('{{ render(fourth) }}', v)).toBe('1');
    expect(renderTemplate('{{ render(map, recursive=false) }}', v)).toBe('{"third":"{{second}}"}');
    expect(renderTemplate('{{ render(map) }}', v)).toBe('{"third":"1"}');
    expect(renderTemplate('{{ render(list) }}', v)).toBe('["1"]');
    expect(() => renderTemplate('{{ render(first) }}', vars({ first: '{{second}}', second: '{{first}}' }))).toThrow(/too many rendering attempts/);
  });

  it('macro: a block renders in place and again with block()', () => {
    expect(renderTemplate('{% block "post" %} content {% endblock %}{{ block("post") }}', vars({}))).toBe(' content  content ');
    expect(() => renderTemplate('{{ block("none") }}', vars({}))).toThrow(/block "none" is not defined in this template/);
  });

  it("macro tag (Pebble docs: tag/macro): arguments by position or name, defaults, null when missing, _context", () => {
    const v = vars({ who: 'World' });
    const template = '{% macro greet(name, greeting="Hello", suffix) %}{{ greeting }} {{ name }}{{ suffix ?? "!" }}{% endmacro %}';
    expect(renderTemplate(`${template}{{ greet("Ann") }} / {{ greet(name="Bob", greeting="Hi") }}`, v)).toBe('Hello Ann! / Hi Bob!');
    expect(renderTemplate('{% macro outer() %}{{ _context.who }}{% endmacro %}{{ outer() }}', v)).toBe('World');
    // A macro sees its arguments only: the caller's variables are under _context.
    expect(() => renderTemplate('{% macro m() %}{{ who }}{% endmacro %}{{ m() }}', v)).toThrow(/undefined variable "who"/);
    expect(() => renderTemplate('{% macro loop() %}{{ loop() }}{% endmacro %}{{ loop() }}', v)).toThrow(/more than 50 nested macro calls/);
  });

  it('numberFormat and string concatenation', () => {
    expect(renderTemplate('{{ var | numberFormat("#.##") }}', vars({ var: 1.232654 }))).toBe('1.23');
    expect(renderTemplate('{{ "apple" ~ "pear" ~ "banana" }}', vars({}))).toBe('applepearbanana');
  });

  it('mapWithNestedNumberList: numbers in lists stay numbers', () => {
    expect(renderValue({ numbers: [1, 2, 3] }, vars({}))).toEqual({ numbers: [1, 2, 3] });
  });
});
