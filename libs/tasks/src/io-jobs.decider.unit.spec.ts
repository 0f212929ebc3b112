import type { JsonObject, TaskJob, TaskRunCreated } from '@chronicle/domain';
import { Scenario as CoreScenario, T } from '@chronicle/domain/testing';
import { describe, expect, it } from 'vitest';
import { TASK_CATALOG } from './catalog.js';

/**
 * What the decider puts in the jobs of the I/O modules, read from their definitions in the full
 * catalog (the domain's deferred-rendering.ts and attempts.ts): the flow, the dispatch's variables,
 * properties left raw for the worker, a script's data context.
 */
class Scenario extends CoreScenario {
  constructor(yaml: string, inputs: JsonObject = {}) {
    super(yaml, inputs, 'e', false, {}, TASK_CATALOG);
  }
}

const jobsOf = (events: ReturnType<Scenario['advance']>): TaskJob[] =>
  events.filter((e) => e.type === 'TaskRunCreated').map((e) => (e.data as { job: TaskJob }).job);

describe('jobs of the I/O modules', () => {
  it('gives storage tasks their flow, and keeps a type\'s per-item expression raw (FilterItems.filterCondition)', () => {
    const s = new Scenario(
      `id: f\nnamespace: n\ntasks:\n  - id: filter\n    type: io.kestra.plugin.core.storage.FilterItems\n    from: "kestra:///n/f/x.ion"\n    filterCondition: "{{ value > 1 }}"\n  - id: size\n    type: io.kestra.core.tasks.storages.Size\n    uri: "{{ outputs.filter.uri }}"\n`,
    );
    const [job] = jobsOf(s.advance(T(1)));
    expect(job).toMatchObject({ type: 'storage.FilterItems', properties: { from: 'kestra:///n/f/x.ion', filterCondition: '{{ value > 1 }}' }, flow: { namespace: 'n', flowId: 'f' } });
    expect(job!.deferred).toBeUndefined();
    expect(job!.renderContext).toMatchObject({ flow: { namespace: 'n' } });
  });

  it('gives state tasks the dispatch\'s variables: their key depends on the loop value', () => {
    const s = new Scenario(`id: f\nnamespace: n\ntasks:\n  - id: each\n    type: ForEach\n    values: ["a"]\n    tasks:\n      - { id: get, type: io.kestra.plugin.core.state.Get, name: counter }\n`);
    const job = jobsOf(s.advance(T(1))).find((j) => j?.taskId === 'get');
    expect(job).toMatchObject({ type: 'state.Get', properties: { name: 'counter' }, flow: { namespace: 'n', flowId: 'f' }, renderContext: { taskrun: { value: 'a' } } });
  });

  it('gives a Script job the inputs and the earlier outputs; other jobs carry no context', () => {
    const yaml = `id: f\nnamespace: n\ninputs:\n  - { id: who, type: STRING }\ntasks:\n  - { id: a, type: Return, format: hi }\n  - { id: s, type: Script, script: "outputs.a.value + inputs.who" }\n`;
    const s = new Scenario(yaml, { who: 'bob' });
    const first = s.advance().find((e): e is TaskRunCreated => e.type === 'TaskRunCreated')!;
    expect(first.data.job).not.toHaveProperty('context');
    const second = s.complete('a', { value: 'hi' }).find((e): e is TaskRunCreated => e.type === 'TaskRunCreated')!;
    expect(second.data.job?.context).toEqual({ inputs: { who: 'bob' }, outputs: { a: { value: 'hi' } } });
  });

  it('gives a Script job its task timeout among its properties (the sandbox\'s own limit); another type keeps it a control property', () => {
    const s = new Scenario(`id: f\nnamespace: n\ntasks:\n  - { id: s, type: Script, script: "1", timeout: PT5S }\n  - { id: k, type: kv.Get, key: k, timeout: PT5S }\n`);
    const [script] = jobsOf(s.advance(T(1)));
    expect(script!.properties).toEqual({ script: '1', timeout: 'PT5S' });
    const [get] = jobsOf(s.complete('s', {}));
    expect(get!.properties).toEqual({ key: 'k' });
  });
});
