import { describe, expect, it } from 'vitest';
import { parseFlow } from '../../flow/flow.parser.js';
import { FlowValidationError } from '../../flow/flow-validation.error.js';
import { Scenario, T } from '../../testing/execution-scenario.js';
import type { WrappedRun } from './wrapped-run.js';
import { CORE_TASK_CATALOG } from '../../task-types/core-task-catalog.js';

const WRAPPER = `id: audit
namespace: ops
tasks:
  - { id: before, type: Log, message: "starting {{ wrapped.flowId }} for {{ wrapped.inputs.customer }}" }
  - id: run
    type: io.chronicle.wrapper.RunWrapped
    retry: { type: constant, interval: PT1S, maxAttempts: 2 }
  - { id: after, type: Log, message: done }
`;

const wrapped = (wrappers: WrappedRun['wrappers'] = []): WrappedRun => ({
  namespace: 'sales', flowId: 'invoice', revision: 3, inputs: { customer: 'ACME' }, labels: { team: 'sales' }, options: { priority: 4 }, wrappers,
});

const issuesOf = (source: string): string[] => {
  try {
    parseFlow(source, CORE_TASK_CATALOG, 1);
    return [];
  } catch (error) {
    return (error as FlowValidationError).issues.map((i) => `${i.path}: ${i.message}`);
  }
};

describe('wrappers: the flow property', () => {
  it('keeps the declared wrappers in order, the first outermost', () => {
    const flow = parseFlow(`id: invoice\nnamespace: sales\nwrappers:\n  - { namespace: ops, flowId: audit, inputs: { level: high } }\n  - { namespace: ops, flowId: timebox }\ntasks:\n  - { id: a, type: Log, message: hi }\n`, CORE_TASK_CATALOG, 1);
    expect(flow.wrappers).toEqual([{ namespace: 'ops', flowId: 'audit', inputs: { level: 'high' } }, { namespace: 'ops', flowId: 'timebox' }]);
  });

  it('refuses a flow that wraps itself, and malformed entries, naming the field', () => {
    expect(issuesOf(`id: invoice\nnamespace: sales\nwrappers: [{ namespace: sales, flowId: invoice }]\ntasks:\n  - { id: a, type: Log, message: hi }\n`))
      .toEqual([expect.stringMatching(/^wrappers\[0\]\.flowId: a flow cannot wrap itself/)]);
    expect(issuesOf(`id: invoice\nnamespace: sales\nwrappers: [{ namespace: ops }, { namespace: ops, flowId: a, inputs: 3, when: x }]\ntasks:\n  - { id: a, type: Log, message: hi }\n`).map((i) => i.split(':')[0]))
      .toEqual(['wrappers[0].flowId', 'wrappers[1].when', 'wrappers[1].inputs']);
    expect(issuesOf(`id: invoice\nnamespace: sales\nwrappers: ops.audit\ntasks:\n  - { id: a, type: Log, message: hi }\n`)).toEqual([expect.stringMatching(/^wrappers: must be a list/)]);
  });

  it('parses RunWrapped as a Subflow that waits for its child and fails with it; it takes no properties', () => {
    const run = parseFlow(WRAPPER, CORE_TASK_CATALOG, 1).tasks[1]!;
    expect(run).toMatchObject({ type: 'Subflow', typeName: 'io.chronicle.wrapper.RunWrapped', properties: { runWrapped: true, wait: true, transmitFailed: true } });
    expect(issuesOf(WRAPPER.replace('type: io.chronicle.wrapper.RunWrapped', 'type: io.chronicle.wrapper.RunWrapped\n    flowId: other'))).toEqual([expect.stringMatching(/^tasks\[1\]\.flowId: unknown property "flowId" of RunWrapped/)]);
  });
});

describe('RunWrapped: a wrapper execution runs the next layer as its child', () => {
  it('sees the wrapped start as `wrapped`, and asks for the wrapped flow with its inputs, labels and options, unwrapped', () => {
    const s = new Scenario(WRAPPER, {}, 'w', false, { wrapped: wrapped() });
    s.advance();
    expect(s.when({ type: 'StartTaskRun', executionId: 'w', taskRunId: 'w.0', attempt: 1, now: T(2) })).toHaveLength(1);
    const job = s.history.find((e) => e.type === 'TaskRunCreated')!.data as unknown as { job: { properties: { message: string } } };
    expect(job.job.properties.message).toBe('starting invoice for ACME');
    const events = s.complete('before', {}, T(3));
    const request = events.find((e) => e.type === 'ChildExecutionRequested')!;
    expect(request.data).toMatchObject({
      childExecutionId: 'w.1.subflow.1', namespace: 'sales', flowId: 'invoice', flowRevision: 3, inputs: { customer: 'ACME' },
      labels: { team: 'sales' }, options: { priority: 4 }, unwrapped: true, wait: true, transmitFailed: true,
      trigger: { type: 'io.chronicle.wrapper.RunWrapped', variables: { executionId: 'w', namespace: 'ops', flowId: 'audit' } },
    });
    expect((request.data as { wrapped?: unknown }).wrapped).toBeUndefined();
  });

  it('asks for the next inner wrapper first, carrying the rest of the chain', () => {
    const s = new Scenario(WRAPPER, {}, 'w', false, { wrapped: wrapped([{ namespace: 'ops', flowId: 'timebox', inputs: { limit: 'PT1M' } }, { namespace: 'ops', flowId: 'notify' }]) });
    s.advance();
    const request = s.complete('before', {}, T(3)).find((e) => e.type === 'ChildExecutionRequested')!;
    expect(request.data).toMatchObject({ namespace: 'ops', flowId: 'timebox', inputs: { limit: 'PT1M' }, unwrapped: true, wrapped: { ...wrapped(), wrappers: [{ namespace: 'ops', flowId: 'notify' }] } });
  });

  it('ends with the wrapped execution\'s outcome, and can retry it as a new child', () => {
    const s = new Scenario(WRAPPER, {}, 'w', false, { wrapped: wrapped() });
    s.advance();
    s.complete('before', {}, T(3));
    s.when({ type: 'ChildExecutionEnded', executionId: 'w', childExecutionId: 'w.1.subflow.1', taskRunId: 'w.1', state: 'FAILED', error: 'invoice failed', now: T(4) });
    expect(s.run('run').state).toBe('RETRYING');
    const retried = s.fire(s.execution.timers[0]!.timerId, T(6));
    expect(retried.find((e) => e.type === 'ChildExecutionRequested')?.data).toMatchObject({ childExecutionId: 'w.1.subflow.2', flowId: 'invoice' });
    s.when({ type: 'ChildExecutionEnded', executionId: 'w', childExecutionId: 'w.1.subflow.2', taskRunId: 'w.1', state: 'FAILED', now: T(7) });
    expect(s.execution.state).toBe('FAILED');
    expect(s.states()).toEqual(['before:SUCCESS', 'run:FAILED']);
  });

  it('fails in an execution that wraps nothing', () => {
    const s = new Scenario(WRAPPER.replace('"starting {{ wrapped.flowId }} for {{ wrapped.inputs.customer }}"', 'starting'));
    s.advance();
    s.complete('before', {}, T(3));
    // Its attempt fails (the task's retry then applies, as to any failure).
    expect(s.run('run').attempts[0]).toMatchObject({ state: 'FAILED', error: expect.stringMatching(/RunWrapped runs only in a wrapper execution/) });
  });
});
