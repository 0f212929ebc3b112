import { describe, expect, it } from 'vitest';
import type { ExpressionContext } from './expression-context.js';
import { ExpressionError } from './expression.error.js';
import { MAX_LOOP_ITEMS, MAX_TEMPLATE_ITERATIONS, renderTemplate } from './template.renderer.js';

const context: ExpressionContext = {
  inputs: { name: 'World', count: 3, tags: ['a', 'b', 'c'], map: { x: 1, y: 2 }, nothing: null, big: Array.from({ length: MAX_LOOP_ITEMS + 1 }, (_, i) => i) },
  outputs: {},
  execution: { id: 'exec-1', startDate: '2025-01-01T00:00:00.000Z', originalId: 'exec-1' },
  flow: { id: 'f', namespace: 'n', revision: 1 },
  labels: {},
  errorLogs: [
    { taskId: 'failed', taskRunId: 'exec-1.0', level: 'ERROR', message: 'Task failure', timestamp: '2025-01-01T00:00:01.000Z' },
    { taskId: 'other', taskRunId: 'exec-1.1', level: 'ERROR', message: 'boom', timestamp: '2025-01-01T00:00:02.000Z' },
  ],
};

const render = (template: string, ctx: ExpressionContext = context) => renderTemplate(template, ctx);
const errorOf = (template: string): ExpressionError => {
  try {
    render(template);
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error(`expected ExpressionError for ${template}`);
};

describe('Pebble tags', () => {
  it('loops over lists with the loop variable, and over maps as key/value entries', () => {
    expect(render('{% for t in inputs.tags %}[{{ t }}{{ loop.index }}{% if loop.last %}!{% endif %}]{% endfor %}')).toBe('[a0][b1][c2!]');
    expect(render('{% for e in inputs.map %}{{ e.key }}={{ e.value }};{% endfor %}')).toBe('x=1;y=2;');
    expect(render('{% for i in range(1, 3) %}{% for t in inputs.tags %}{{ i }}{{ t }} {% endfor %}{% endfor %}')).toBe('1a 1b 1c 2a 2b 2c 3a 3b 3c ');
    expect(render('{% for t in inputs.nothing %}x{% else %}empty{% endfor %}|{% for t in [] %}x{% endfor %}')).toBe('empty|');
    // The loop variable does not outlive the loop.
    expect(errorOf('{% for t in inputs.tags %}{% endfor %}{{ t }}').reason).toBe('undefined variable "t"');
  });

  it('chooses the first true branch of if / elseif / else', () => {
    const pick = '{% if inputs.count > 5 %}big{% elseif inputs.count > 2 %}medium{% else %}small{% endif %}';
    expect(render(pick)).toBe('medium');
    expect(render(pick, { ...context, inputs: { count: 9 } })).toBe('big');
    expect(render(pick, { ...context, inputs: { count: 1 } })).toBe('small');
    expect(render('{% if inputs.nothing %}yes{% endif %}-{% if "" %}yes{% else %}no{% endif %}')).toBe('-no');
  });

  it('sets variables: visible after the tag, updated in the scope that holds them, loop-local otherwise', () => {
    expect(render('{% set greeting = "Hello " ~ inputs.name %}{{ greeting }}')).toBe('Hello World');
    expect(render('{% set total = 0 %}{% for i in [1, 2, 3] %}{% set total = total + i %}{% endfor %}{{ total }}')).toBe('6');
    expect(errorOf('{% for i in [1] %}{% set inner = i %}{% endfor %}{{ inner }}').reason).toBe('undefined variable "inner"');
    expect(render('{% if true %}{% set x = 1 %}{% endif %}{{ x }}')).toBe('1');
    expect(render('{% set __proto__ = 1 %}{{ __proto__ }}')).toBe('1');
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });

  it("applies whitespace control and keeps the newline after a tag (Kestra's newLineTrimming(false))", () => {
    const message = '{%- for log in errorLogs() -%}\n- task: {{ log.taskId }}, message: {{ log.message }}\n{%- endfor -%}\n';
    expect(render(message)).toBe('- task: failed, message: Task failure- task: other, message: boom');
    expect(render('{% for t in inputs.tags %}\n{{ t }}{% endfor %}')).toBe('\na\nb\nc');
    expect(render('a  {%- if true -%}  b  {%- endif -%}  c')).toBe('abc');
  });

  it('keeps {% raw %} blocks as text', () => {
    expect(render('{% raw %}{{ not rendered }} {% if %}{% endraw %}{{ inputs.name }}')).toBe('{{ not rendered }} {% if %}World');
  });

  it('errorLogs() is empty outside an execution that failed', () => {
    const { errorLogs: _none, ...withoutLogs } = context;
    expect(render('{{ errorLogs() | length }}', withoutLogs)).toBe('0');
  });

  it('rejects malformed, unknown and unclosed tags', () => {
    expect(errorOf('{% for t inputs.tags %}{% endfor %}').reason).toMatch(/expected "{% for name in expression %}"/);
    expect(errorOf('{% for t in inputs.tags %}x').reason).toMatch(/unclosed "for", "{% endfor %}" expected/);
    expect(errorOf('{% if true %}x').reason).toMatch(/unclosed "if", "{% endif %}" expected/);
    expect(errorOf('{% endif %}').reason).toMatch(/without its opening tag/);
    expect(errorOf('{% include "x" %}').reason).toMatch(/unknown tag "include"/);
    expect(errorOf('{% if %}x{% endif %}').reason).toMatch(/needs a condition/);
    expect(errorOf('{% set x == 1 %}').reason).toMatch(/expected "{% set name = expression %}"/);
    expect(errorOf('{% if true %}').message).toMatch(/^cannot render "{% if true %}"/);
    expect(errorOf('{% for t in inputs.name %}{% endfor %}').reason).toBe('cannot iterate over a string');
    expect(errorOf('{% if true').reason).toBe('unclosed tag, "%}" expected');
  });

  it('bounds loops: at most MAX_LOOP_ITEMS items each, MAX_TEMPLATE_ITERATIONS in all', () => {
    expect(errorOf('{% for i in inputs.big %}{% endfor %}').reason).toMatch(new RegExp(`at most ${MAX_LOOP_ITEMS} items`));
    const nested = '{% for i in range(1, 10000) %}{% for j in range(1, 11) %}{% endfor %}{% endfor %}';
    expect(errorOf(nested).reason).toMatch(new RegExp(`at most ${MAX_TEMPLATE_ITERATIONS} times`));
  });
});
