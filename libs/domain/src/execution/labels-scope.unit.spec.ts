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

  it('flow variables are read raw: an expression inside one is not rendered again (Kestra >= 0.14; render() does that)', () => {
    const s = new Scenario(`id: f
namespace: n
inputs:
  - { id: name, type: STRING, defaults: World }
variables:
  greeting: "Hello {{ inputs.name }}"
  count: 3
tasks:
  - id: out
    type: OutputValues
    values:
      raw: "{{ vars.greeting }}"
      count: "{{ vars.count }}"
`, { name: 'Ada' }, 'e', true);
    s.advance();
    expect(s.run('out').outputs).toEqual({ values: { raw: 'Hello {{ inputs.name }}', count: '3' } });
  });

  it("keeps a correlation id passed down by a Subflow, and every system label, under system", () => {
    expect(labelsScope({ 'system.correlationId': 'root', 'system.username': 'ada', env: 'prod' }, 'child')).toEqual({
      env: 'prod',
      system: { correlationId: 'root', username: 'ada' },
    });
  });
});
