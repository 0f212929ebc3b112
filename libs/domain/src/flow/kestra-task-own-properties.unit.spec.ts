import { describe, expect, it } from 'vitest';
import { FLOW_AND_EXECUTION_TASK_OWN_PROPERTIES } from './kestra-task-own-properties.js';
import { parseFlow } from './flow.parser.js';
import { findTaskType } from './task-types.js';

describe('own properties of Dag, LoopUntil, WaitFor, WorkingDirectory, ForEachItem and the execution tasks', () => {
  it('names registered types, and each type accepts a flow using its implemented properties', () => {
    for (const type of Object.keys(FLOW_AND_EXECUTION_TASK_OWN_PROPERTIES)) expect(findTaskType(type)?.name).toBe(type);
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
`)).not.toThrow();
  });
});
