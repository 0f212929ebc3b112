import { describe, expect, it } from 'vitest';
import { FlowValidationError } from '../flow/flow-validation.error.js';
import { parseFlow } from '../flow/flow.parser.js';
import { Scenario, T } from '../testing/execution-scenario.js';
import type { ChildExecutionRequested } from './execution.events.js';
import { CORE_TASK_CATALOG } from '../task-types/core-task-catalog.js';

// Kestra's core/src/test/resources/flows/valids/for-each-item.yaml (ForEachItemCaseTest.forEachItem).
const FOR_EACH_ITEM = (extra = '') => `id: for-each-item
namespace: io.kestra.tests
inputs:
  - id: file
    type: FILE
  - id: batch
    type: INT
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEachItem
    items: "{{ inputs.file }}"
    batch:
      rows: "{{inputs.batch}}"
    namespace: io.kestra.tests
    flowId: for-each-item-subflow
${extra}    inputs:
      items: "{{ taskrun.items }}"
`;

const FILE = 'kestra:///io/kestra/tests/for-each-item/executions/e/inputs/file/items.txt';
const batch = (i: number) => `kestra:///io/kestra/tests/for-each-item/executions/e/tasks/each_split/e.1/${i}.txt`;
const requested = (events: readonly { type: string }[]) => events.filter((e): e is ChildExecutionRequested => e.type === 'ChildExecutionRequested');

const issuesOf = (source: string): string[] => {
  try {
    parseFlow(source, CORE_TASK_CATALOG);
    return [];
  } catch (error) {
    if (error instanceof FlowValidationError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
};

describe('ForEachItem (io.kestra.plugin.core.flow.ForEachItem)', () => {
  it('runs Kestra\'s three internal tasks: the split job, one subflow per batch, the merge; 4 task runs, SUCCESS', () => {
    const s = new Scenario(FOR_EACH_ITEM('    wait: true\n    transmitFailed: true\n'), { file: FILE, batch: 4 });
    s.advance();
    expect(s.states()).toEqual(['each:RUNNING', 'each_split:CREATED']);
    expect(s.execution.taskRuns[1]).toMatchObject({ taskId: 'each_split' });
    const splitJob = s.history.find((e) => e.type === 'TaskRunCreated' && e.data.taskId === 'each_split')!;
    expect((splitJob.data as { job: { type: string; properties: unknown } }).job).toMatchObject({
      type: 'ForEachItemSplit',
      properties: { items: FILE, batch: { rows: '4' }, namespace: 'io.kestra.tests', flowId: 'for-each-item' },
    });

    const events = s.complete('each_split', { splits: 'kestra:///.../splits.txt', uris: [batch(1), batch(2), batch(3)] });
    const children = requested(events);
    expect(children.map((c) => c.data.childExecutionId)).toEqual(['e.2.items.1', 'e.2.items.2', 'e.2.items.3']);
    expect(children[1]!.data).toMatchObject({
      taskRunId: 'e.2', namespace: 'io.kestra.tests', flowId: 'for-each-item-subflow', inputs: { items: batch(2) }, wait: true, transmitFailed: true,
      labels: { 'system.correlationId': 'e' },
    });
    expect(s.run('each_items')).toMatchObject({ state: 'RUNNING', outputs: { numberOfBatches: 3, iterations: { CREATED: 3, RUNNING: 0, SUCCESS: 0 } } });

    for (const [i, id] of ['e.2.items.2', 'e.2.items.1'].entries()) {
      s.when({ type: 'ChildExecutionEnded', executionId: 'e', taskRunId: 'e.2', childExecutionId: id, state: 'SUCCESS', outputs: { n: i }, now: T(3) });
    }
    // A duplicate report counts once.
    expect(s.when({ type: 'ChildExecutionEnded', executionId: 'e', taskRunId: 'e.2', childExecutionId: 'e.2.items.1', state: 'SUCCESS', now: T(3) })).toEqual([]);
    expect(s.run('each_items').outputs).toEqual({ numberOfBatches: 3, iterations: { CREATED: 1, RUNNING: 0, SUCCESS: 2 } });
    s.when({ type: 'ChildExecutionEnded', executionId: 'e', taskRunId: 'e.2', childExecutionId: 'e.2.items.3', state: 'SUCCESS', now: T(4) });
    expect(s.states()).toEqual(['each:RUNNING', 'each_split:SUCCESS', 'each_items:SUCCESS', 'each_merge:CREATED']);
    expect(s.run('each_items').outputs).toEqual({ numberOfBatches: 3, iterations: { CREATED: 0, RUNNING: 0, SUCCESS: 3 } });
    // ForEachItemCaseTest: the `_items` task run has one attempt, SUCCESS.
    expect(s.run('each_items').attempts.map((a) => [a.number, a.state])).toEqual([[1, 'SUCCESS']]);
    const mergeJob = s.history.find((e) => e.type === 'TaskRunCreated' && e.data.taskId === 'each_merge')!;
    // The subflows' outputs, in batch order, for the merge file.
    expect((mergeJob.data as { job: { properties: unknown } }).job.properties).toEqual({ namespace: 'io.kestra.tests', flowId: 'for-each-item', subflowOutputs: [{ n: 1 }, { n: 0 }] });
    s.complete('each_merge', { subflowOutputs: 'kestra:///.../outputs.ion' }, T(5));
    expect(s.execution.state).toBe('SUCCESS');
    expect(s.execution.taskRuns).toHaveLength(4);
  });

  it("a development run's batch subflows are development runs too (issue 15)", () => {
    const s = new Scenario(FOR_EACH_ITEM(), { file: FILE, batch: 4 }, 'e', false, { options: { mode: 'DEVELOPMENT' } });
    s.advance();
    const events = s.complete('each_split', { splits: 'kestra:///.../splits.txt', uris: [batch(1)] });
    expect(requested(events)[0]!.data.trigger).toMatchObject({ variables: { mode: 'DEVELOPMENT' } });
  });

  it('for-each-item-failed.yaml: a failed subflow fails the task and the execution (transmitFailed)', () => {
    const s = new Scenario(FOR_EACH_ITEM(), { file: FILE, batch: 4 });
    s.advance();
    s.complete('each_split', { uris: [batch(1), batch(2)] });
    s.when({ type: 'ChildExecutionEnded', executionId: 'e', taskRunId: 'e.2', childExecutionId: 'e.2.items.1', state: 'FAILED', now: T(3) });
    expect(s.run('each_items').state).toBe('RUNNING');
    s.when({ type: 'ChildExecutionEnded', executionId: 'e', taskRunId: 'e.2', childExecutionId: 'e.2.items.2', state: 'SUCCESS', now: T(3) });
    expect(s.run('each_items')).toMatchObject({ state: 'FAILED', outputs: { iterations: { CREATED: 0, SUCCESS: 1, FAILED: 1 } } });
    expect(s.run('each_items').attempts.map((a) => a.state)).toEqual(['FAILED']);
    expect(s.execution.state).toBe('FAILED');
    expect(s.execution.taskRuns).toHaveLength(3);

    // A restart runs the failed batch again (a new subflow, a new attempt); the merge follows.
    const restarted = s.when({ type: 'RestartExecution', executionId: 'e', now: T(5) });
    expect(requested(restarted).map((c) => [c.data.childExecutionId, c.data.inputs])).toEqual([['e.2.items.1.2', { items: batch(1) }]]);
    expect(s.run('each_items').outputs?.iterations).toEqual({ CREATED: 1, RUNNING: 0, SUCCESS: 1 });
    // A late report from the first attempt's child changes nothing.
    expect(s.when({ type: 'ChildExecutionEnded', executionId: 'e', taskRunId: 'e.2', childExecutionId: 'e.2.items.1', state: 'SUCCESS', now: T(6) })).toEqual([]);
    s.when({ type: 'ChildExecutionEnded', executionId: 'e', taskRunId: 'e.2', childExecutionId: 'e.2.items.1.2', state: 'SUCCESS', now: T(6) });
    expect(s.run('each_items').attempts.map((a) => a.state)).toEqual(['FAILED', 'SUCCESS']);
    expect(s.states()).toEqual(['each:RUNNING', 'each_split:SUCCESS', 'each_items:SUCCESS', 'each_merge:CREATED']);
  });

  it.each([
    ['task-allow-failure-executable-foreachitem.yml', '    allowFailure: true\n', 'WARNING'],
    ['task-allow-warning-executable-foreachitem.yml', '    allowFailure: true\n    allowWarning: true\n', 'SUCCESS'],
  ])('%s: a failed subflow with allowFailure goes on; 4 task runs, %s', (_flow, control, expected) => {
    const s = new Scenario(FOR_EACH_ITEM(control) + '  - id: log-allowed\n    type: io.kestra.plugin.core.log.Log\n    message: I\'m allowed\n', { file: FILE, batch: 4 }, 'e', true);
    s.advance();
    s.complete('each_split', { uris: [batch(1)] });
    s.when({ type: 'ChildExecutionEnded', executionId: 'e', taskRunId: 'e.2', childExecutionId: 'e.2.items.1', state: 'FAILED', now: T(3) });
    expect(s.execution.state).toBe(expected);
    expect(s.execution.taskRuns.map((t) => t.taskId)).toEqual(['each', 'each_split', 'each_items', 'log-allowed']);
  });

  it('for-each-item-no-wait.yaml: requests the subflows and goes on at once', () => {
    const s = new Scenario(FOR_EACH_ITEM('    wait: false\n'), { file: FILE, batch: 4 });
    s.advance();
    const events = s.complete('each_split', { uris: [batch(1), batch(2)] });
    expect(requested(events).map((c) => c.data.wait)).toEqual([false, false]);
    expect(s.states()).toEqual(['each:RUNNING', 'each_split:SUCCESS', 'each_items:SUCCESS', 'each_merge:CREATED']);
    // ForEachItemCaseTest.forEachItemNoWait: no CREATED count, every subflow counted SUCCESS.
    expect(s.run('each_items').outputs).toEqual({ numberOfBatches: 2, iterations: { RUNNING: 0, SUCCESS: 2 } });
  });

  it('empty items: no subflow, the task succeeds without outputs (ForEachItemCaseTest.forEachItemEmptyItems)', () => {
    const s = new Scenario(FOR_EACH_ITEM(), { file: FILE, batch: 4 });
    s.advance();
    s.complete('each_split', { uris: [] });
    expect(s.run('each_items').state).toBe('SUCCESS');
    expect(s.run('each_items').outputs).toBeUndefined();
  });

  it('a kill kills the subflow executions that have not ended', () => {
    const s = new Scenario(FOR_EACH_ITEM(), { file: FILE, batch: 4 });
    s.advance();
    s.complete('each_split', { uris: [batch(1), batch(2)] });
    s.when({ type: 'ChildExecutionEnded', executionId: 'e', taskRunId: 'e.2', childExecutionId: 'e.2.items.1', state: 'SUCCESS', now: T(3) });
    const events = s.when({ type: 'KillExecution', executionId: 'e', now: T(4) });
    expect(events.filter((e) => e.type === 'TaskRunKillRequested').map((e) => e.data)).toEqual([{ taskRunId: 'e.2', attempt: 1, childExecutionId: 'e.2.items.2', at: T(4) }]);
    expect(s.execution.state).toBe('KILLED');
  });

  it('refuses its internal types, scheduleDate and a malformed batch at deploy', () => {
    expect(issuesOf('id: f\nnamespace: n\ntasks:\n  - { id: x, type: ForEachItemSplit }\n')[0]).toContain('tasks[0].type: unknown task type "ForEachItemSplit"');
    expect(issuesOf(FOR_EACH_ITEM('    scheduleDate: "2025-01-01T00:00:00Z"\n'))).toEqual(['tasks[0].scheduleDate: "scheduleDate" is not supported by Chronicle: subflow executions start at once']);
    expect(issuesOf(FOR_EACH_ITEM().replace('rows: "{{inputs.batch}}"', 'rows: 0\n      lines: 3'))).toEqual([
      'tasks[0].batch.lines: unknown property "lines" (allowed: rows, bytes, partitions, separator)',
      'tasks[0].batch.rows: must be an integer >= 1',
    ]);
    expect(issuesOf('id: f\nnamespace: n\ntasks:\n  - { id: each, type: ForEachItem, items: x, namespace: n, flowId: s }\n  - { id: each_split, type: Log, message: x }\n')).toEqual([
      'tasks[1].id: Duplicate task id with name [each_split] (task ids are unique across the flow)',
    ]);
  });
});
