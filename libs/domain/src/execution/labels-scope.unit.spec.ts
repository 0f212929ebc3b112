import { describe, expect, it } from 'vitest';
import { Scenario } from '../testing/execution-scenario.js';
import { labelsScope } from './expression-scope.js';

describe('labels in expressions', () => {
  // Kestra's RunVariables.mapLabel nests `system.*` labels; Execution.newExecution sets
  // `system.correlationId` to the execution's id when it has none (Execution.java).
  it('reads system labels as a nested map, with the correlation id of the execution by default', () => {
    const s = new Scenario(`id: f
namespace: n
labels:
  - key: team
    value: data
tasks:
  - id: out
    type: OutputValues
    values:
      correlation: "{{ labels.system.correlationId }}"
      team: "{{ labels.team }}"
`, {}, 'e', true);
    s.advance();
    expect(s.run('out').outputs).toEqual({ values: { correlation: 'e', team: 'data' } });
  });

  it("keeps a correlation id passed down by a Subflow, and every system label, under system", () => {
    expect(labelsScope({ 'system.correlationId': 'root', 'system.username': 'ada', env: 'prod' }, 'child')).toEqual({
      env: 'prod',
      system: { correlationId: 'root', username: 'ada' },
    });
  });
});
