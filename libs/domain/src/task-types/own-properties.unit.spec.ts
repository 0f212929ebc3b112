import { describe, expect, it } from 'vitest';
import { parseFlow } from '../flow/flow.parser.js';
import { CORE_TASK_CATALOG } from './core-task-catalog.js';

describe('own properties of Dag, LoopUntil, WaitFor, WorkingDirectory, ForEachItem and the execution tasks', () => {
  it('lists the own properties of these types in their definitions, and each type accepts a flow using its implemented properties', () => {
    for (const type of ['Dag', 'LoopUntil', 'WaitFor', 'WorkingDirectory', 'ForEachItem', 'Labels', 'Exit', 'Resume', 'SetVariables', 'UnsetVariables']) {
      expect(CORE_TASK_CATALOG.find(type)?.properties, type).toBeDefined();
    }
    // Kestra's documentation examples with every implemented property set.
    expect(() => parseFlow(`id: f
namespace: n
tasks:
  - id: dag
    type: Dag
    concurrent: 2
    tasks:
      - task: { id: a, type: Log, message: a }
      - { task: { id: b, type: Log, message: b }, dependsOn: [a] }
    errors: [{ id: e1, type: Log, message: e }]
    finally: [{ id: f1, type: Log, message: f }]
  - id: loop
    type: LoopUntil
    condition: "{{ true }}"
    failOnMaxReached: true
    checkFrequency: { maxIterations: 3, maxDuration: PT1M, interval: PT1S }
    tasks: [{ id: l, type: Log, message: l }]
  - { id: each, type: ForEachItem, items: "kestra:///f.txt", batch: { rows: 2, separator: ";" }, namespace: n, flowId: s, revision: 1, inputs: { a: 1 }, labels: { k: v }, wait: true, transmitFailed: false, inheritLabels: true }
  - { id: labels, type: Labels, labels: { k: v } }
  - { id: resume, type: Resume, executionId: x, namespace: n, flowId: f, inputs: { ok: true } }
  - { id: set, type: SetVariables, variables: { a: 1 }, overwrite: false }
  - { id: unset, type: UnsetVariables, variables: [a], ignoreMissing: true }
  - { id: exit, type: Exit, state: WARNING }
`, CORE_TASK_CATALOG)).not.toThrow();
  });

  it('refuses, at deploy, a property a type with listed properties does not take, and names why for one Kestra has and Chronicle refuses', () => {
    const listed = CORE_TASK_CATALOG.definitions.filter((t) => t.properties !== undefined);
    expect(listed.length).toBeGreaterThan(25);
    expect(() => parseFlow('id: f\nnamespace: n\ntasks:\n  - { id: l, type: Log, message: hi, mesage: typo }\n', CORE_TASK_CATALOG)).toThrow(/unknown property "mesage" of Log/);
    expect(() => parseFlow('id: f\nnamespace: n\ntasks:\n  - { id: s, type: Subflow, namespace: n, flowId: g, scheduleDate: "2030-01-01T00:00:00Z" }\n', CORE_TASK_CATALOG)).toThrow(/property "scheduleDate" of Subflow is not supported: a Subflow cannot schedule its child for later yet/);
    // Request's refused properties: libs/tasks/src/http/http.task-modules.unit.spec.ts.
  });

  // Pause.onResume is Kestra's List<Input<?>> and Subflow.labels a List<Label> (core/src/main/java/io/kestra/plugin/core/flow/{Pause,Subflow}.java):
  // read strictly as Kestra's YamlParser does, so a key they do not have is a deploy error.
  it('checks Pause onResume inputs and Subflow list labels at deploy', () => {
    const issues = (task: string) => {
      try {
        parseFlow(`id: f\nnamespace: n\ntasks:\n  - ${task}\n`, CORE_TASK_CATALOG);
        return [];
      } catch (error) {
        return (error as { issues: { path: string; message: string }[] }).issues.map((i) => [i.path, i.message]);
      }
    };
    expect(issues('{ id: p, type: Pause, onResume: [{ id: ok, type: BOOLEAN, defaults: true }] }')).toEqual([]);
    expect(issues('{ id: p, type: Pause, onResume: [{ id: x, type: STRING, bogus: 1 }] }')).toEqual([
      ['tasks[0].onResume[0].bogus', expect.stringMatching(/^unknown property "bogus" of an input of type STRING/)],
    ]);
    expect(issues('{ id: p, type: Pause, onResume: [{ id: n, type: INT, defaults: abc }] }')[0]?.[0]).toBe('tasks[0].onResume[0].defaults');
    expect(issues('{ id: s, type: Subflow, namespace: n, flowId: g, labels: [{ key: a, value: b, c: d }] }')).toEqual([
      ['tasks[0].labels[0].c', 'unknown property "c" of a label (it takes key, value)'],
    ]);
  });
});
