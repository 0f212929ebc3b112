import { describe, expect, it } from 'vitest';
import { FlowValidationError } from '../flow/flow-validation.error.js';
import { parseFlow } from '../flow/flow.parser.js';
import { Scenario, T } from '../testing/execution-scenario.js';
import { CORE_TASK_CATALOG } from '../task-types/core-task-catalog.js';

const entry = (id: string, deps: string[] = []) =>
  `      - task:\n          id: ${id}\n          type: io.kestra.plugin.core.log.Log\n          message: "{{ task.id }}"\n${deps.length > 0 ? `        dependsOn: [${deps.join(', ')}]\n` : ''}`;

// Kestra's core/src/test/resources/flows/valids/dag.yaml (DagTest.dag: SUCCESS, 7 task runs).
const DAG = `id: dag
namespace: io.kestra.tests
tasks:
  - id: dag
    description: "my task"
    type: io.kestra.plugin.core.flow.Dag
    tasks:
${entry('task1')}${entry('task2', ['task1'])}${entry('task3', ['task1'])}${entry('task4', ['task2'])}${entry('task5', ['task4', 'task3'])}${entry('task6', ['task2', 'task3'])}`;

const issuesOf = (source: string): string[] => {
  try {
    parseFlow(source, CORE_TASK_CATALOG);
    return [];
  } catch (error) {
    if (error instanceof FlowValidationError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
};

describe('Dag (io.kestra.plugin.core.flow.Dag)', () => {
  it('runs Kestra dag.yaml to SUCCESS with its 7 task runs (local tasks on)', () => {
    const s = new Scenario(DAG, {}, 'e', true);
    s.advance();
    expect(s.execution.state).toBe('SUCCESS');
    expect(s.execution.taskRuns).toHaveLength(7);
    expect(s.states().every((x) => x.endsWith(':SUCCESS'))).toBe(true);
  });

  it('given task1 done, when it completes, then only the tasks whose dependencies all ended start', () => {
    const s = new Scenario(DAG);
    s.advance();
    expect(s.states()).toEqual(['dag:RUNNING', 'task1:CREATED']);
    s.complete('task1');
    expect(s.states()).toEqual(['dag:RUNNING', 'task1:SUCCESS', 'task2:CREATED', 'task3:CREATED']);
    s.complete('task2', {}, T(3));
    // task4 needs task2 only; task6 needs task3 too.
    expect(s.states()).toEqual(['dag:RUNNING', 'task1:SUCCESS', 'task2:SUCCESS', 'task3:CREATED', 'task4:CREATED']);
    s.complete('task3', {}, T(4));
    expect(s.states().slice(5)).toEqual(['task6:CREATED']);
    s.complete('task4', {}, T(5));
    expect(s.states().slice(6)).toEqual(['task5:CREATED']);
    s.complete('task6', {}, T(6));
    expect(s.run('dag').state).toBe('RUNNING');
    s.complete('task5', {}, T(7));
    expect(s.run('dag').state).toBe('SUCCESS');
    expect(s.execution.state).toBe('SUCCESS');
  });

  it('given concurrent: 1, runs one ready task at a time', () => {
    const s = new Scenario(`id: f\nnamespace: n\ntasks:\n  - id: dag\n    type: Dag\n    concurrent: 1\n    tasks:\n${entry('a')}${entry('b')}${entry('c', ['a'])}`);
    s.advance();
    expect(s.states()).toEqual(['dag:RUNNING', 'a:CREATED']);
    s.complete('a');
    expect(s.states()).toEqual(['dag:RUNNING', 'a:SUCCESS', 'b:CREATED']);
    s.complete('b');
    expect(s.states()).toEqual(['dag:RUNNING', 'a:SUCCESS', 'b:SUCCESS', 'c:CREATED']);
  });

  it('given a failed task, starts nothing more, runs the Dag errors and fails', () => {
    const s = new Scenario(`id: f\nnamespace: n\ntasks:\n  - id: dag\n    type: Dag\n    tasks:\n${entry('a')}${entry('b', ['a'])}    errors:\n      - { id: handler, type: Log, message: failed }\n`);
    s.advance();
    s.fail('a', 'broken');
    expect(s.states()).toEqual(['dag:RUNNING', 'a:FAILED', 'handler:CREATED']);
    s.complete('handler');
    expect(s.states()).toEqual(['dag:FAILED', 'a:FAILED', 'handler:SUCCESS']);
    expect(s.execution).toMatchObject({ state: 'FAILED', error: 'task a failed: broken' });
  });

  it('runs one Dag per ForEach value, with flowables inside it', () => {
    const s = new Scenario(`id: f
namespace: n
tasks:
  - id: each
    type: ForEach
    values: ["x", "y"]
    concurrencyLimit: 0
    tasks:
      - id: dag
        type: Dag
        tasks:
          - task: { id: first, type: Return, format: "{{ parent.taskrun.value }}" }
          - task:
              id: seq
              type: Sequential
              tasks: [{ id: inner, type: Log, message: inner }]
            dependsOn: [first]
`, {}, 'e', true);
    s.advance();
    expect(s.execution.state).toBe('SUCCESS');
    expect(s.execution.taskRuns.filter((t) => t.taskId === 'first').map((t) => t.outputs?.value)).toEqual(['x', 'y']);
    expect(s.execution.taskRuns.filter((t) => t.taskId === 'inner')).toHaveLength(2);
  });

  it('refuses a cyclic Dag at deploy (Kestra flows/invalids/dag-cyclicdependency.yaml)', () => {
    const cyclic = `id: dag-cyclicdependency\nnamespace: io.kestra.tests\ntasks:\n  - id: dag\n    type: io.kestra.plugin.core.flow.Dag\n    tasks:\n${entry('task1', ['task2'])}${entry('task2', ['task1'])}${entry('task3', ['task2'])}${entry('task4', ['task2'])}${entry('task5', ['task4', 'task3'])}`;
    expect(issuesOf(cyclic)).toEqual(['tasks[0].tasks: Cyclic dependency detected: task1, task2']);
  });

  it('refuses a dependency on a task that is not in the Dag (Kestra flows/invalids/dag-notexist-task.yaml)', () => {
    const missing = `id: dag-notexist-task\nnamespace: io.kestra.tests\ntasks:\n  - id: dag\n    type: io.kestra.plugin.core.flow.Dag\n    tasks:\n${entry('task1')}${entry('task2', ['taskX'])}${entry('task3', ['task2'])}`;
    expect(issuesOf(missing)).toEqual(['tasks[0].tasks: Not existing task id in dependency: taskX']);
  });

  it('accepts Kestra\'s old names (io.kestra.core.tasks.flows.Dag, io.kestra.core.tasks.log.Log)', () => {
    const flow = parseFlow(DAG.replace('io.kestra.plugin.core.flow.Dag', 'io.kestra.core.tasks.flows.Dag').replaceAll('io.kestra.plugin.core.log.Log', 'io.kestra.core.tasks.log.Log'), CORE_TASK_CATALOG);
    expect(flow.tasks[0]).toMatchObject({ type: 'Dag', typeName: 'io.kestra.core.tasks.flows.Dag', lists: { tasks: expect.arrayContaining([expect.objectContaining({ type: 'Log' })]) } });
    expect(issuesOf(DAG.replace('io.kestra.plugin.core.flow.Dag', 'io.kestra.core.tasks.flows.Template'))[0]).toContain('Template is deprecated');
  });

  it('refuses a malformed Dag entry with its path', () => {
    const bad = `id: f\nnamespace: n\ntasks:\n  - id: dag\n    type: Dag\n    tasks:\n      - { id: a, type: Log, message: a }\n`;
    expect(issuesOf(bad)).toEqual(expect.arrayContaining([expect.stringContaining('tasks[0].tasks[0].id: unknown property "id"')]));
  });
});
