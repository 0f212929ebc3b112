import { describe, expect, it } from 'vitest';
import type { ObservedExecution, ObservedTaskRun } from './chronicle-api.js';
import { loadCorpus, type CorpusCase } from './corpus.js';
import { translateStep } from './corpus-steps.js';
import { judge } from './documented-differences.js';
import { checkExpectations } from './expectations.js';
import { findTaskRun, outputsTree, valuesChain } from './task-run-queries.js';

const run = (id: string, taskId: string, extra: Partial<ObservedTaskRun> = {}): ObservedTaskRun => ({ id, taskId, state: 'SUCCESS', attempts: [{ number: 1, state: 'SUCCESS' }], ...extra });
const execution = (taskRuns: ObservedTaskRun[], extra: Partial<ObservedExecution> = {}): ObservedExecution => ({
  id: 'e1', namespace: 'io.kestra.tests', flowId: 'f', state: 'SUCCESS', stateHistory: [{ state: 'CREATED' }, { state: 'RUNNING' }, { state: 'SUCCESS' }], taskRuns, ...extra,
});

// An outer loop over s1 whose iteration holds an inner loop over "a a", like each-sequential-nested.
const nested = execution([
  run('r0', '1_each'),
  run('r1', '1-2_each', { parentTaskRunId: 'r0', value: 's1' }),
  run('r2', '1-2-1_return', { parentTaskRunId: 'r1', value: 'a a', outputs: { value: 'inner' } }),
  run('r3', '2_return', { outputs: { value: 'x inner y' } }),
]);

const caseOf = (expected: Partial<CorpusCase['expected']>): CorpusCase => ({
  name: 'c', flowId: 'f', namespace: 'io.kestra.tests', kestraPath: '', commit: '', yaml: '', taskTypes: [], inputs: null, inputsMode: 'none',
  executionLabels: null, requiresFlows: [], steps: null, confidence: 'high', javaTest: '', notes: '',
  expected: { state: 'SUCCESS', taskRunCount: null, outputs: [], taskRuns: [], asserted: [], inferred: [], ...expected },
});

describe('Kestra task-run lookups', () => {
  it('chains loop values from the outermost ancestor down to the task run', () => {
    expect(valuesChain(nested, nested.taskRuns[2])).toEqual(['s1', 'a a']);
    expect(findTaskRun(nested, { taskId: '1-2-1_return', values: ['s1', 'a a'] })?.id).toBe('r2');
    expect(findTaskRun(nested, { taskId: '1-2-1_return', values: ['a a'] })).toBeUndefined();
  });

  it('nests looped outputs by value in the outputs tree', () => {
    expect(outputsTree(nested)).toEqual({ '1-2-1_return': { s1: { 'a a': { value: 'inner' } } }, '2_return': { value: 'x inner y' } });
  });
});

describe('checking a case', () => {
  it('reports every failed expectation with its id', () => {
    const failures = checkExpectations(
      caseOf({
        state: 'FAILED', taskRunCount: 4, inferred: ['state'],
        taskRuns: [{ taskId: '2_return', listIndex: 3, attempts: 2 }],
        outputs: [
          { target: 'relation', op: 'contains', subject: { taskId: '2_return', index: 0, path: 'value' }, object: { taskId: '1-2-1_return', values: ['s1', 'a a'], path: 'value' } },
          { target: 'taskOutputsTree', op: 'equals', path: ['1-2-1_return', 's1', 'a a', 'value'], expected: 'other' },
          { target: 'mystery', op: 'equals', expected: 1 },
        ],
      }),
      { execution: nested, logs: [] },
    );
    expect(failures.map((f) => f.id)).toEqual(['state', 'taskRuns[0].attempts', 'outputs[1]', 'outputs[2]']);
    expect(failures[0].inferred).toBe(true);
    expect(failures[3].what).toContain('unknown target "mystery"');
  });

  it('waives only documented assertions', () => {
    const failures = [{ id: 'outputs[0]', what: 'x' }, { id: 'state', what: 'y' }];
    const result = { name: 'c', passed: false, failures, executionIds: [], durationMs: 0 };
    expect(judge(result, 'standalone', [{ case: 'c', reason: 'why', assertions: ['outputs[0]'] }]).kind).toBe('FAIL');
    expect(judge(result, 'standalone', [{ case: 'c', reason: 'why' }])).toEqual({ kind: 'DIFF', name: 'c', reason: 'why' });
    expect(judge(result, 'distributed', [{ case: 'c', reason: 'why', modes: ['standalone'] }]).kind).toBe('FAIL');
  });
});

const corpus = loadCorpus();
describe.skipIf(!corpus.found)('the corpus steps', () => {
  it('every step sentence of the corpus translates into actions', () => {
    const steps = corpus.cases.flatMap((c) => c.steps ?? []);
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.map(translateStep).filter((t) => !t.ok)).toEqual([]);
  });

  it('reads pause and concurrency steps as Kestra runs them', () => {
    const actions = (name: string) => corpus.cases.find((c) => c.name === name)!.steps!.flatMap((s) => {
      const t = translateStep(s);
      return t.ok ? t.actions : [];
    });
    expect(actions('pause/resume')).toEqual([
      { kind: 'start', exec: 1 },
      { kind: 'waitState', exec: 1, state: 'PAUSED', taskRunState: 'PAUSED' },
      { kind: 'check', check: { kind: 'state', exec: 1, state: 'PAUSED' } },
      { kind: 'check', check: { kind: 'taskRunCount', count: 1 } },
      { kind: 'check', check: { kind: 'taskRunAt', index: 0, taskId: 'pause', state: 'PAUSED' } },
      { kind: 'resume', exec: 1 },
      { kind: 'waitEnd', exec: 1 },
      { kind: 'check', check: { kind: 'state', exec: 1, state: 'SUCCESS' } },
    ]);
    expect(actions('flow-concurrency-queue')).toEqual([
      { kind: 'start', exec: 1 },
      { kind: 'waitState', exec: 1, state: 'RUNNING', taskRunState: undefined },
      { kind: 'start', exec: 2 },
      { kind: 'waitEnd', exec: 1 },
      { kind: 'check', check: { kind: 'state', exec: 1, state: 'SUCCESS' } },
      { kind: 'waitReached', exec: 2, state: 'RUNNING' },
      { kind: 'waitEnd', exec: 2 },
      { kind: 'check', check: { kind: 'state', exec: 2, state: 'SUCCESS' } },
      { kind: 'check', check: { kind: 'historyPrefix', exec: 2, states: ['CREATED', 'QUEUED', 'RUNNING'] } },
    ]);
  });
});
