import { describe, expect, it } from 'vitest';
import { parseFlow } from './flow.parser.js';
import { CORE_TASK_CATALOG } from '../task-types/core-task-catalog.js';

/**
 * Kestra's invalid flows (core/src/test/resources/flows/invalids/) that its FlowValidator refuses
 * (core/src/main/java/io/kestra/core/validations/validator/FlowValidator.java; asserted in
 * core/src/test/java/io/kestra/core/validations/FlowValidationTest.java and
 * core/src/test/java/io/kestra/core/models/flows/FlowTest.java): Chronicle refuses them at deploy
 * with the same reason, at the offending line.
 */
const refusal = (source: string): string => {
  try {
    parseFlow(source, CORE_TASK_CATALOG, 1);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('deployed');
};

describe("Kestra's invalid flows", () => {
  it('recursive-flow.yaml: a Subflow calling its own flow (FlowValidationTest#invalidRecursiveFlow)', () => {
    const message = refusal(`id: recursive-flow
namespace: io.kestra.tests

tasks:
  - id: taskInvalid
    type: io.kestra.plugin.core.flow.Subflow
    flowId: recursive-flow
    namespace: io.kestra.tests
`);
    expect(message).toContain('Recursive call to flow [io.kestra.tests.recursive-flow]');
    expect(message).toContain('line 7');
  });

  it('a Subflow of another flow, or one named by an expression, is no recursion', () => {
    expect(() => parseFlow('id: a\nnamespace: n\ntasks:\n  - { id: s, type: Subflow, namespace: n, flowId: b }\n  - { id: t, type: Subflow, namespace: n, flowId: "{{ inputs.f }}" }\n', CORE_TASK_CATALOG, 1)).not.toThrow();
  });

  it('system-labels.yaml: system labels are Kestra\'s own (FlowValidationTest#systemLabelShouldFailValidation)', () => {
    const message = refusal(`id: system-labels
namespace: io.kestra.tests

labels:
  system.label: system_key
  system.id: id
  another: label

tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "bla"
`);
    expect(message).toContain('System labels can only be set by Kestra itself, offending label: system.label=system_key');
    expect(message).toContain('System labels can only be set by Kestra itself, offending label: system.id=id');
    expect(() => parseFlow('id: a\nnamespace: n\nlabels:\n  system.readOnly: "true"\ntasks:\n  - { id: l, type: Log, message: x }\n', CORE_TASK_CATALOG, 1)).not.toThrow();
  });

  it('switch-invalid.yaml: a Switch with no task in any case nor in defaults (FlowTest#switchTaskInvalid)', () => {
    const message = refusal(`id: switch-impossible
namespace: io.kestra.tests

inputs:
  - id: string
    type: STRING

tasks:
  - id: impossible
    type: io.kestra.plugin.core.flow.Switch
    value: "{{inputs.string}}"
    cases: {}
    defaults: null
`);
    expect(message).toContain('No task defined, neither cases or default have any tasks');
  });
});
