import { describe, expect, it } from 'vitest';
import { DeciderSpecification } from '../testing/decider-specification.js';
import { Scenario, T } from '../testing/execution-scenario.js';
import { executionDecider } from './execution.decider.js';
import type { ExecutionEvent } from './execution.events.js';
import { CORE_TASK_CATALOG } from '../task-types/core-task-catalog.js';

const spec = DeciderSpecification.for(executionDecider);
const log = (id: string, message = id) => `{ id: ${id}, type: Log, message: "${message}" }`;

describe('flowables: Sequential and Parallel', () => {
  const yaml = `id: f
namespace: n
tasks:
  - id: seq
    type: io.kestra.plugin.core.flow.Sequential
    tasks: [${log('a')}, ${log('b')}]
  - id: last
    type: Log
    message: done
`;

  it('makes the Sequential a running task run and creates its first child under it', () => {
    const s = new Scenario(yaml);
    spec.given(s.history).when({ type: 'AdvanceExecution', executionId: 'e', now: T(1) }, { taskTypes: CORE_TASK_CATALOG, flow: s.flow, localTasks: false }).then([
      { type: 'ExecutionStarted', data: { at: T(1) } },
      { type: 'TaskRunCreated', data: { taskRunId: 'e.0', taskId: 'seq', at: T(1) } },
      { type: 'TaskRunStateChanged', data: { taskRunId: 'e.0', state: 'RUNNING', at: T(1) } },
      {
        type: 'TaskRunCreated',
        data: { taskRunId: 'e.1', taskId: 'a', parentTaskRunId: 'e.0', at: T(1), job: { executionId: 'e', taskRunId: 'e.1', taskId: 'a', attempt: 1, type: 'Log', properties: { message: 'a' } } },
      },
    ]);
  });

  it('runs children in order, ends the parent SUCCESS, then goes on', () => {
    const s = new Scenario(yaml);
    s.advance();
    s.complete('a');
    expect(s.states()).toEqual(['seq:RUNNING', 'a:SUCCESS', 'b:CREATED']);
    const events = s.complete('b', {}, T(3));
    expect(events.map((e) => e.type)).toEqual(['TaskRunStarted', 'TaskRunSucceeded', 'TaskRunStateChanged', 'TaskRunCreated']);
    s.complete('last', {}, T(4));
    expect(s.execution.state).toBe('SUCCESS');
    expect(s.states()).toEqual(['seq:SUCCESS', 'a:SUCCESS', 'b:SUCCESS', 'last:SUCCESS']);
  });

  it('stops a Sequential at a failure and fails parent and execution', () => {
    const s = new Scenario(yaml);
    s.advance();
    s.fail('a', 'disk full');
    expect(s.states()).toEqual(['seq:FAILED', 'a:FAILED']);
    expect(s.execution).toMatchObject({ state: 'FAILED', error: 'task a failed: disk full' });
  });

  it('runs at most `concurrent` Parallel children at once, and starts no new one after a failure', () => {
    const s = new Scenario(`id: f
namespace: n
tasks:
  - id: par
    type: Parallel
    concurrent: 2
    tasks: [${log('a')}, ${log('b')}, ${log('c')}, ${log('d')}]
`);
    s.advance();
    expect(s.states()).toEqual(['par:RUNNING', 'a:CREATED', 'b:CREATED']);
    s.complete('a');
    expect(s.states()).toEqual(['par:RUNNING', 'a:SUCCESS', 'b:CREATED', 'c:CREATED']);
    s.fail('b');
    expect(s.states()).toEqual(['par:RUNNING', 'a:SUCCESS', 'b:FAILED', 'c:CREATED']);
    s.complete('c');
    expect(s.states()).toEqual(['par:FAILED', 'a:SUCCESS', 'b:FAILED', 'c:SUCCESS']);
    expect(s.execution.state).toBe('FAILED');
  });

  it('starts every child of an unlimited Parallel at once', () => {
    const s = new Scenario(`id: f\nnamespace: n\ntasks:\n  - id: par\n    type: Parallel\n    tasks: [${log('a')}, ${log('b')}, ${log('c')}]\n`);
    s.advance();
    expect(s.states()).toEqual(['par:RUNNING', 'a:CREATED', 'b:CREATED', 'c:CREATED']);
  });

  it('skips disabled tasks', () => {
    const s = new Scenario(`id: f\nnamespace: n\ntasks:\n  - { id: a, type: Log, message: a, disabled: true }\n  - ${log('b')}\n`);
    s.advance();
    expect(s.states()).toEqual(['b:CREATED']);
  });
});

describe('flowables: If and Switch', () => {
  const ifFlow = (condition: string, withElse = true) => `id: f
namespace: n
inputs: [{ id: x, type: STRING, required: false }]
tasks:
  - id: if
    type: io.kestra.plugin.core.flow.If
    condition: "${condition}"
    then: [${log('yes')}]
${withElse ? `    else: [${log('no')}]\n` : ''}`;

  it.each([['true', 'yes'], ['1', 'yes'], ['anything', 'yes'], ['false', 'no'], ['0', 'no'], ['-0', 'no'], ['', 'no']])(
    'decides on the rendered text %j',
    (x, branch) => {
      const s = new Scenario(ifFlow('{{ inputs.x }}'), { x });
      s.advance();
      expect(s.states()).toEqual(['if:RUNNING', `${branch}:CREATED`]);
      expect(s.run('if').outputs).toEqual({ evaluationResult: branch === 'yes' });
    },
  );

  it('is a task run that succeeds when false without else', () => {
    const s = new Scenario(ifFlow('false', false));
    s.advance();
    expect(s.states()).toEqual(['if:SUCCESS']);
    expect(s.execution.state).toBe('SUCCESS');
  });

  it('fails when the condition cannot render (undefined variable)', () => {
    const s = new Scenario(ifFlow('{{ nope }}'));
    s.advance();
    expect(s.states()).toEqual(['if:FAILED']);
    expect(s.execution.state).toBe('FAILED');
  });

  const switchFlow = (defaults: boolean) => `id: f
namespace: n
inputs: [{ id: x, type: STRING }]
tasks:
  - id: sw
    type: Switch
    value: "{{ inputs.x }}"
    cases:
      A: [${log('a1')}, ${log('a2')}]
      1: [${log('one')}]
${defaults ? `    defaults: [${log('other')}]\n` : ''}`;

  it('runs the matching case in order; a YAML int key matches its text', () => {
    const s = new Scenario(switchFlow(true), { x: 'A' });
    s.advance();
    s.complete('a1');
    expect(s.states()).toEqual(['sw:RUNNING', 'a1:SUCCESS', 'a2:CREATED']);
    expect(s.run('sw').outputs).toEqual({ value: 'A', defaults: false });
    const one = new Scenario(switchFlow(true), { x: '1' });
    one.advance();
    expect(one.states()).toEqual(['sw:RUNNING', 'one:CREATED']);
  });

  it('runs defaults when nothing matches, and fails without defaults', () => {
    const s = new Scenario(switchFlow(true), { x: 'Z' });
    s.advance();
    expect(s.states()).toEqual(['sw:RUNNING', 'other:CREATED']);
    expect(s.run('sw').outputs).toEqual({ value: 'Z', defaults: true });
    const none = new Scenario(switchFlow(false), { x: 'Z' });
    none.advance();
    expect(none.states()).toEqual(['sw:FAILED']);
    expect(none.execution.state).toBe('FAILED');
  });
});

describe('flowables: ForEach', () => {
  const forEach = (values: string, limit?: number) => `id: f
namespace: n
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ${values}
${limit !== undefined ? `    concurrencyLimit: ${limit}\n` : ''}    tasks:
      - { id: a, type: Log, message: "a {{ taskrun.value }}" }
      - { id: b, type: OutputValues, values: { v: "{{ taskrun.value }}" } }
`;

  it('iterates one value at a time by default, each child carrying the value', () => {
    const s = new Scenario(forEach('["x", "y"]'));
    s.advance();
    expect(s.execution.taskRuns.map((t) => [t.taskId, t.value ?? null, t.state])).toEqual([['each', null, 'RUNNING'], ['a', 'x', 'CREATED']]);
    expect(s.run('each').iterations).toEqual(['x', 'y']);
    s.complete('a');
    s.complete('b', { values: { v: 'x' } });
    expect(s.execution.taskRuns.map((t) => `${t.taskId}/${t.value ?? ''}:${t.state}`)).toEqual(['each/:RUNNING', 'a/x:SUCCESS', 'b/x:SUCCESS', 'a/y:CREATED']);
    s.complete('a');
    s.complete('b', { values: { v: 'y' } });
    expect(s.execution.state).toBe('SUCCESS');
  });

  it('runs concurrencyLimit iterations at once (0 = all)', () => {
    const s = new Scenario(forEach('[1, 2, 3]', 2));
    s.advance();
    expect(s.execution.taskRuns.map((t) => t.value ?? null)).toEqual([null, '1', '2']);
    const all = new Scenario(forEach('[1, 2, 3]', 0));
    all.advance();
    expect(all.execution.taskRuns).toHaveLength(4);
  });

  it('renders values to text, drops duplicates, accepts an expression', () => {
    const s = new Scenario(forEach(`'[1, "1", {"k": "v"}, true]'`, 0));
    s.advance();
    expect(s.run('each').iterations).toEqual(['1', '{"k":"v"}', 'true']);
  });

  it('succeeds at once over no values, and fails on a null before any iteration', () => {
    const empty = new Scenario(forEach(`'[]'`));
    empty.advance();
    expect(empty.states()).toEqual(['each:SUCCESS']);
    const withNull = new Scenario(forEach(`'[1, null]'`));
    withNull.advance();
    expect(withNull.states()).toEqual(['each:FAILED']);
    expect(withNull.run('each').error).toBe("Found '1' null values on Each, with values=[1, null]");
  });

  it('nests the outputs of looped tasks by value', () => {
    const s = new Scenario(`${forEach('["x"]')}  - { id: after, type: Log, message: "{{ outputs.b.x.values.v }}" }\n`);
    s.advance();
    s.complete('a');
    s.complete('b', { values: { v: 'got x' } });
    expect(s.run('after').attempts).toEqual([]);
    const created = s.history.at(-1) as Extract<ExecutionEvent, { type: 'TaskRunCreated' }>;
    expect(created.data.job?.properties).toEqual({ message: 'got x' });
  });
});

describe('errors, finally, allowFailure', () => {
  it('runs flow errors after a failure and stays FAILED; finally always runs', () => {
    const s = new Scenario(`id: f\nnamespace: n\ntasks: [${log('a')}, ${log('b')}]\nerrors: [${log('e1')}]\nfinally: [${log('z')}]\n`);
    s.advance();
    s.fail('a');
    expect(s.states()).toEqual(['a:FAILED', 'e1:CREATED']);
    s.complete('e1');
    expect(s.states()).toEqual(['a:FAILED', 'e1:SUCCESS', 'z:CREATED']);
    s.complete('z');
    expect(s.execution.state).toBe('FAILED');
  });

  it('local errors run but do not rescue the flowable', () => {
    const s = new Scenario(`id: f
namespace: n
tasks:
  - id: seq
    type: Sequential
    tasks: [${log('a')}]
    errors: [${log('handler')}]
`);
    s.advance();
    s.fail('a');
    expect(s.states()).toEqual(['seq:RUNNING', 'a:FAILED', 'handler:CREATED']);
    s.complete('handler');
    expect(s.states()).toEqual(['seq:FAILED', 'a:FAILED', 'handler:SUCCESS']);
    expect(s.execution.state).toBe('FAILED');
  });

  it('AllowFailure and allowFailure: true turn a failure into WARNING; the execution ends WARNING', () => {
    const s = new Scenario(`id: f
namespace: n
tasks:
  - id: allow
    type: io.kestra.plugin.core.flow.AllowFailure
    tasks: [${log('a')}]
  - { id: b, type: Log, message: b, allowFailure: true }
  - ${log('c')}
`);
    s.advance();
    s.fail('a');
    expect(s.states()).toEqual(['allow:WARNING', 'a:FAILED', 'b:CREATED']);
    s.fail('b');
    expect(s.states()).toEqual(['allow:WARNING', 'a:FAILED', 'b:WARNING', 'c:CREATED']);
    expect(s.run('b').attempts.map((a) => a.state)).toEqual(['FAILED']);
    s.complete('c');
    expect(s.execution.state).toBe('WARNING');
  });

  it('renders flow outputs at the end; one that cannot render fails the execution', () => {
    const ok = new Scenario(`id: f\nnamespace: n\ntasks: [{ id: r, type: OutputValues, values: { x: 1 } }]\noutputs: [{ id: key, type: STRING, value: "{{ outputs.r.values }}" }]\n`);
    ok.advance();
    ok.complete('r', { values: { x: '1' } });
    expect(ok.execution).toMatchObject({ state: 'SUCCESS', outputs: { key: '{"x":"1"}' } });
    const broken = new Scenario(`id: f\nnamespace: n\ntasks: [${log('a')}]\noutputs: [{ id: key, type: STRING, value: "{{ invalid }}" }]\n`);
    broken.advance();
    broken.complete('a');
    expect(broken.execution.state).toBe('FAILED');
    expect(broken.execution.outputs).toBeUndefined();
  });

  // Kestra >= 0.22's FlowOutputTest#shouldGetSuccessExecutionForFlowWithOptionalOutputs (flow-with-optional-outputs.yml).
  it('leaves out a `required: false` output that cannot render or renders nothing; the execution ends as it would', () => {
    const optional = new Scenario(`id: f\nnamespace: n\ntasks: [${log('a')}]\noutputs: [{ id: optional, type: STRING, value: "{{ outputs.invalid }}", required: false }]\n`);
    optional.advance();
    optional.complete('a');
    expect(optional.execution.state).toBe('SUCCESS');
    expect(optional.execution.outputs).toBeUndefined();
    const mixed = new Scenario(`id: f
namespace: n
tasks: [${log('a')}]
outputs:
  - { id: kept, type: STRING, value: "{{ flow.id }}" }
  - { id: empty, type: STRING, value: "", required: false }
  - { id: broken, type: STRING, value: "{{ invalid }}", required: false }
`);
    mixed.advance();
    mixed.complete('a');
    expect(mixed.execution).toMatchObject({ state: 'SUCCESS', outputs: { kept: 'f' } });
    expect(Object.keys(mixed.execution.outputs ?? {})).toEqual(['kept']);
  });

  it('refuses a `required` that is not true or false', () => {
    expect(() => new Scenario(`id: f\nnamespace: n\ntasks: [${log('a')}]\noutputs: [{ id: o, type: STRING, value: x, required: maybe }]\n`)).toThrow(/outputs\[0\]\.required: must be true or false/);
  });
});
