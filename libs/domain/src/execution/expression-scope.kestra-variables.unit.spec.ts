import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../expression/template.renderer.js';
import { Scenario, T } from '../testing/execution-scenario.js';
import { decide } from './execution.decider.js';
import { expressionContextOf } from './expression-scope.js';
import { CORE_TASK_CATALOG } from '../task-types/core-task-catalog.js';

const variablesFlow = `id: variables
namespace: io.kestra.tests
tasks:
  - { id: env, type: Log, message: "{{envs.test1}} {{envs.test2}}" }
`;

// Kestra's VariablesTest#recursiveVars (core/src/test/java/io/kestra/plugin/core/flow/VariablesTest.java,
// flows/valids/variables.yaml): `envs` from the environment under a prefix, `globals` from configuration.
describe('envs and globals', () => {
  const installation = { envs: { test1: 'true', test2: 'Pass by env' }, globals: { string: 'string', int: 1, bool: true, nested: { int: 2 } } };

  it('are the installation\'s, given by the decision', () => {
    const s = new Scenario(variablesFlow);
    const context = expressionContextOf(s.execution, { flow: s.flow, installation });
    expect(renderTemplate('{{envs.test1}} {{envs.test2}}', context)).toBe('true Pass by env');
    expect(renderTemplate('{{globals.string}} {{globals.int}} {{globals.bool}} {{globals.nested.int}}', context)).toBe('string 1 true 2');
  });

  it('are undefined names without an installation, or for a name it has not', () => {
    const s = new Scenario(variablesFlow);
    expect(() => renderTemplate('{{ envs.test1 }}', expressionContextOf(s.execution, { flow: s.flow }))).toThrow(/envs/);
    expect(() => renderTemplate('{{ envs.missing }}', expressionContextOf(s.execution, { flow: s.flow, installation }))).toThrow(/missing/);
  });

  it('reach the task a decision dispatches', () => {
    const s = new Scenario(variablesFlow);
    const decided = decide({ type: 'AdvanceExecution', executionId: 'e', now: T(1) }, s.execution, { taskTypes: CORE_TASK_CATALOG, flow: s.flow, localTasks: false, installation });
    expect(JSON.stringify(decided)).toContain('true Pass by env');
  });
});

// A Pause's FLOAT onResume input is a Java double in Kestra (FlowInputOutput), so it prints as one.
describe('a Pause\'s FLOAT onResume input', () => {
  it('prints as Java prints a double: 5.0', () => {
    const s = new Scenario(`id: f
namespace: n
tasks:
  - id: pause
    type: Pause
    onResume: [{ id: price, type: FLOAT }, { id: count, type: INT }]
  - { id: last, type: Log, message: "{{ outputs.pause.onResume.price }} {{ outputs.pause.onResume.count }}" }
`);
    s.advance();
    s.when({ type: 'ResumeExecution', executionId: 'e', inputs: { price: '5', count: '5' }, now: T(5) });
    expect(renderTemplate('{{ outputs.pause.onResume.price }} {{ outputs.pause.onResume.count }} {{ outputs.pause.onResume.price / 2 }}', expressionContextOf(s.execution, { flow: s.flow }))).toBe('5.0 5 2.5');
  });
});
