import { describe, expect, it } from 'vitest';
import { FlowValidationError } from '../flow/flow-validation.error.js';
import { parseFlow } from '../flow/flow.parser.js';
import type { ExpressionContext } from './expression-context.js';
import { REFUSED_FUNCTIONS } from './expression.refused-names.js';
import { templateProblem } from './template.check.js';
import { renderTemplate } from './template.renderer.js';
import { CORE_TASK_CATALOG } from '../task-types/core-task-catalog.js';

/**
 * Pebble names Kestra registers that Chronicle refuses on purpose: refused at deploy with the
 * reason, and the same message if one is reached at run time (text rendered by render()).
 * Kestra: core/src/main/java/io/kestra/core/runners/pebble/ExtensionCustomizer.java removes
 * "l18n" (not "i18n"), so Pebble's I18nExtension's i18n(bundle, key) stays registered.
 */
const context = {
  inputs: { text: '{{ i18n("messages", "hello") }}' }, outputs: {}, labels: {},
  execution: { id: 'e', startDate: '2025-01-01T00:00:00Z', originalId: 'e' }, flow: { id: 'f', namespace: 'n', revision: 1 },
} as unknown as ExpressionContext;

describe('refused Pebble names', () => {
  it.each(Object.keys(REFUSED_FUNCTIONS))('refuses %s() at deploy with its reason, at the property and line', (name) => {
    expect(templateProblem(`{{ ${name}("messages", "hello") }}`)).toMatch(new RegExp(`function "${name}" is not supported by Chronicle: .{20,}`));
    const flow = `id: f\nnamespace: n\ntasks:\n  - id: t\n    type: Log\n    message: '{{ ${name}("a", "b") }}'\n`;
    try {
      parseFlow(flow, CORE_TASK_CATALOG);
      expect.unreachable('the flow must be refused');
    } catch (error) {
      expect(error).toBeInstanceOf(FlowValidationError);
      expect((error as FlowValidationError).issues[0]).toMatchObject({ path: 'tasks[0].message', line: 6, message: expect.stringContaining(`function "${name}" is not supported`) });
    }
  });

  it('gives the reason at run time too (text rendered again by render())', () => {
    expect(() => renderTemplate('{{ render(inputs.text) }}', context)).toThrow(/function "i18n" is not supported by Chronicle: it reads a Java resource bundle/);
  });

  it('a macro of that name is the template\'s own and is called', () => {
    expect(templateProblem('{% macro parent() %}p{% endmacro %}{{ parent() }}')).toBeUndefined();
    expect(renderTemplate('{% macro parent() %}p{% endmacro %}{{ parent() }}', context)).toBe('p');
  });
});
