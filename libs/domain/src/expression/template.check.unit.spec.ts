import { describe, expect, it } from 'vitest';
import { FlowValidationError } from '../flow/flow-validation.error.js';
import { parseFlow } from '../flow/flow.parser.js';
import { templateProblem } from './template.check.js';
import { renderTemplate } from './template.renderer.js';
import { CORE_TASK_CATALOG } from '../task-types/core-task-catalog.js';

/** Pebble that does not compile is refused at deploy, with the property and its line (issue 14, "Bad input"). */
describe('deploy-time check of Pebble text', () => {
  it.each([
    ['{{ inputs.a + }}', /^expression "\{\{ inputs.a \+ \}\}" is invalid: syntax error: /],
    ['{{ x | nope }}', /^expression "\{\{ x \| nope \}\}" is invalid: unknown filter "nope"$/],
    ['{{ nope(1) }}', /unknown function "nope"$/],
    ['{{ x is nope }}', /unknown test "nope"$/],
    ['{{ x | default(nope()) }}', /unknown function "nope"$/],
    ['{% if x %}no end', /^invalid template: .*unclosed "if"/],
    ['{{ x', /^invalid template: .*unclosed expression/],
    ['{% include "x" %}', /unknown tag "include"/],
    ['{% macro m() %}{{ x | nope }}{% endmacro %}', /unknown filter "nope"/],
  ])('refuses %s', (text, expected) => {
    expect(templateProblem(text)).toMatch(expected);
  });

  it.each([
    'plain text',
    '{{ inputs.a | upper }} and {{ now() | date("yyyy") }}',
    '{% for i in 1..3 %}{{ i is odd ? "o" : "e" }}{% endfor %}',
    '{{ missing ?? "fine: undefined variables are a run-time matter" }}',
    '{% raw %}{{ not | parsed }}{% endraw %}',
    '{% filter upper %}x{% endfilter %}',
    '{{ kv("k", errorOnMissing=true) }}',
    '{% macro m(a, b=1) %}{{ a }}{% endmacro %}{{ m(2) }}',
  ])('accepts %s', (text) => {
    expect(templateProblem(text)).toBeUndefined();
  });

  it('refuses a flow whose task property does not parse, naming the property and its line', () => {
    const source = [
      'id: f',
      'namespace: n',
      'tasks:',
      '  - id: hello',
      '    type: io.kestra.plugin.core.log.Log',
      '    message: "{{ inputs.name | nosuchfilter }}"',
    ].join('\n');
    let error: unknown;
    try {
      parseFlow(source, CORE_TASK_CATALOG);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FlowValidationError);
    const issue = (error as FlowValidationError).issues.find((i) => i.message.includes('nosuchfilter'));
    expect(issue).toMatchObject({ path: 'tasks[0].message', line: 6, message: 'expression "{{ inputs.name | nosuchfilter }}" is invalid: unknown filter "nosuchfilter"' });
  });

  it("renders Pebble's filter tag", () => {
    const context = { inputs: {}, outputs: {}, labels: {}, execution: { id: 'e', startDate: '', originalId: 'e' }, flow: { id: 'f', namespace: 'n', revision: 1 } };
    expect(renderTemplate('{% filter upper | trim %}  hello {{ "you" }} {% endfilter %}!', context)).toBe('HELLO YOU!');
  });
});
