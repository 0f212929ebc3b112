import { describe, expect, it } from 'vitest';
import { parseFlow } from '../flow/flow.parser.js';
import { FlowValidationError } from '../flow/flow-validation.error.js';
import { Scenario, T } from '../testing/execution-scenario.js';
import { slaTimerId } from './sla.control.js';
import { CORE_TASK_CATALOG } from '../task-types/core-task-catalog.js';

/** Kestra's flow SLAs, after its test flows and core/src/test/java/io/kestra/core/runners/SLATestCase.java. */
describe('flow sla', () => {
  // core/src/test/resources/flows/valids/sla-max-duration-fail.yaml
  const maxDuration = (behavior: string) => `id: sla-max-duration-fail
namespace: io.kestra.tests
sla:
  - id: maxDuration
    type: MAX_DURATION
    behavior: ${behavior}
    duration: PT0.5S
tasks:
  - id: sleep
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT2S
`;

  it('MAX_DURATION with FAIL fails an execution still running after the duration', () => {
    const s = new Scenario(maxDuration('FAIL'));
    s.advance(T(0));
    expect(s.execution.timers.find((t) => t.timerId === slaTimerId('e', 0))).toMatchObject({ fireAt: '2025-01-01T00:00:00.500Z' });
    s.fire(slaTimerId('e', 0), T(1));
    expect(s.execution.state).toBe('FAILED');
    expect(s.states()).toEqual(['sleep:KILLED']);
    expect(s.execution.timers).toEqual([]);
  });

  it('MAX_DURATION: CANCEL cancels, NONE lets it run; an execution that ended first is not touched (sla-max-duration-ok)', () => {
    const cancelled = new Scenario(maxDuration('CANCEL'));
    cancelled.advance(T(0));
    cancelled.fire(slaTimerId('e', 0), T(1));
    expect(cancelled.execution.state).toBe('CANCELLED');
    const none = new Scenario(maxDuration('NONE'));
    none.advance(T(0));
    none.fire(slaTimerId('e', 0), T(1));
    expect(none.execution.state).toBe('RUNNING');
    none.fire(none.execution.timers.find((t) => t.purpose === 'sleep')!.timerId, T(2));
    expect(none.execution.state).toBe('SUCCESS');
  });

  // core/src/test/resources/flows/valids/sla-execution-condition.yaml
  const assertion = `id: sla-execution-condition
namespace: io.kestra.tests
inputs:
  - id: string
    type: SELECT
    values: [PASS, CANCEL, LABEL]
    defaults: PASS
sla:
  - id: condition
    type: EXECUTION_ASSERTION
    behavior: CANCEL
    assert: "{{inputs.string != 'CANCEL'}}"
  - id: condition
    type: EXECUTION_ASSERTION
    behavior: NONE
    assert: "{{inputs.string != 'LABEL'}}"
    labels:
      sla: violated
tasks:
  - id: return
    type: io.kestra.plugin.core.debug.Return
    format: "true"
`;

  it('EXECUTION_ASSERTION passes while true, CANCELs when false', () => {
    const pass = new Scenario(assertion, { string: 'PASS' }, 'e', true);
    pass.advance();
    expect(pass.execution.state).toBe('SUCCESS');
    const cancel = new Scenario(assertion, { string: 'CANCEL' }, 'e', true);
    cancel.advance();
    expect(cancel.execution.state).toBe('CANCELLED');
    expect(cancel.execution.taskRuns).toEqual([]);
  });

  it('EXECUTION_ASSERTION with NONE and labels: the execution goes on and gets the labels, once (SLATestCase.executionConditionSLAShouldLabel)', () => {
    const label = new Scenario(assertion, { string: 'LABEL' }, 'e', true);
    label.advance();
    expect(label.execution.state).toBe('SUCCESS');
    expect(label.execution.labels).toEqual({ sla: 'violated' });
    expect(label.history.filter((e) => e.type === 'ExecutionLabelsChanged')).toHaveLength(1);
  });

  it('refuses system labels and malformed SLAs at deploy, each at its line', () => {
    const issues = (() => {
      try {
        parseFlow('id: f\nnamespace: n\nsla:\n  - id: a\n    type: EXECUTION_ASSERTION\n    behavior: NONE\n    assert: "{{ true }}"\n    labels: { system.app: x }\n  - id: b\n    type: MAX_DURATION\n    behavior: LATER\ntasks:\n  - { id: t, type: Log, message: x }\n', CORE_TASK_CATALOG);
        return [];
      } catch (error) {
        return (error as FlowValidationError).issues.map((i) => `${i.path}@${i.line}: ${i.message}`);
      }
    })();
    expect(issues).toEqual([
      'sla[0].labels.system.app@8: system labels cannot be set by an SLA ("system.app")',
      'sla[1].behavior@11: "behavior" must be one of FAIL, CANCEL, NONE',
      'sla[1]@9: a MAX_DURATION SLA needs a "duration"',
    ]);
  });
});
