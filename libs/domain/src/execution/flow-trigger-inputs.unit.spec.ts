import { describe, expect, it } from 'vitest';
import { parseFlow } from '../flow/flow.parser.js';
import { T } from '../testing/execution-scenario.js';
import { decide } from './execution.decider.js';
import { CORE_TASK_CATALOG } from '../task-types/core-task-catalog.js';

// Kestra's Flow trigger (io.kestra.plugin.core.trigger.Flow#evaluate) puts its rendered `inputs` on the
// new execution as they are: flows/valids/trigger-flow-listener-namespace-condition.yaml declares a required
// input its trigger never gives, and FlowTriggerCaseTest#trigger expects it to run to SUCCESS.
describe("a Flow trigger's inputs", () => {
  const flow = parseFlow(`id: listener
namespace: n
inputs:
  - { id: from-parent, type: STRING }
  - { id: count, type: INT, defaults: 3 }
tasks:
  - { id: only, type: Return, format: simple return }
`, CORE_TASK_CATALOG, 1);

  it('are the execution\'s as given: nothing required, nothing coerced, defaults fill the gaps', () => {
    const [created] = decide({ type: 'CreateExecution', executionId: 'e', flow, inputs: { extra: 'kept' }, inputsAsGiven: true, now: T(0) }, undefined);
    expect(created).toMatchObject({ type: 'ExecutionCreated', data: { inputs: { extra: 'kept', count: 3 } } });
  });

  it('are validated for any other start', () => {
    expect(() => decide({ type: 'CreateExecution', executionId: 'e', flow, inputs: {}, now: T(0) }, undefined)).toThrow(/from-parent: required input is missing/);
  });
});
