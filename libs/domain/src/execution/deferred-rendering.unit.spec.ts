import { describe, expect, it } from 'vitest';
import { Scenario, T } from '../testing/execution-scenario.js';
import { callsIoFunction, propertiesLeftRaw, splitDeferred } from './deferred-rendering.js';
import type { TaskJob } from './task-job.js';
import { CORE_TASK_CATALOG } from '../task-types/core-task-catalog.js';

const jobsOf = (events: ReturnType<Scenario['advance']>): TaskJob[] =>
  events.filter((e) => e.type === 'TaskRunCreated').map((e) => (e.data as { job: TaskJob }).job);

describe('deferred rendering (properties the worker renders: I/O functions, per-item expressions)', () => {
  it('finds calls to kv(), secret(), read(), fileSize() and fileExists() inside templates only', () => {
    expect(callsIoFunction("{{ kv('my_key') }}")).toBe(true);
    expect(callsIoFunction(['a', { nested: "{{ read(inputs.file) | upper }}" }])).toBe(true);
    expect(callsIoFunction("{% if fileExists(outputs.a.uri) %}x{% endif %}")).toBe(true);
    expect(callsIoFunction("{{ secret ('TOKEN') }}")).toBe(true);
    expect(callsIoFunction("{{ isFileEmpty(outputs.a.uri) }}")).toBe(true);
    expect(callsIoFunction('kv(x) without a template')).toBe(false);
    expect(callsIoFunction("{{ inputs.reader }}")).toBe(false);
    expect(callsIoFunction(42)).toBe(false);
    expect(splitDeferred({ a: '{{ inputs.x }}', b: "{{ kv('k') }}", c: '{{ key }}' }, ['c'])).toEqual({
      now: { a: '{{ inputs.x }}' }, raw: { b: "{{ kv('k') }}", c: '{{ key }}' }, deferred: ['b'],
    });
  });

  it('leaves a property calling kv() raw for the worker, with the flow and the variables of the dispatch; the rest is rendered', () => {
    const s = new Scenario(
      `id: f\nnamespace: company.team\ninputs:\n  - { id: who, type: STRING, defaults: world }\ntasks:\n  - id: greet\n    type: Fail\n    condition: "{{ kv('stop') }} {{ inputs.who }}"\n    errorMessage: "bye {{ inputs.who }}"\n`,
      {}, 'e', true,
    );
    const [job] = jobsOf(s.advance(T(1)));
    expect(job).toMatchObject({
      type: 'Fail',
      properties: { condition: "{{ kv('stop') }} {{ inputs.who }}", errorMessage: 'bye world' },
      deferred: ['condition'],
      flow: { namespace: 'company.team', flowId: 'f' },
      renderContext: { inputs: { who: 'world' }, flow: { id: 'f', namespace: 'company.team' }, execution: { id: 'e' }, now: T(1), task: { id: 'greet' } },
    });
  });

  it('sends a local task (Log) that calls kv() to the workers: the executor cannot render it', () => {
    const s = new Scenario(`id: f\nnamespace: n\ntasks:\n  - { id: a, type: Log, message: "{{ kv('k') }}" }\n`, {}, 'e', true);
    const events = s.advance(T(1));
    expect(events.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskRunCreated']);
    expect(jobsOf(events)[0]).toMatchObject({ deferred: ['message'] });
    expect(jobsOf(events)[0]!.local).toBeUndefined();
  });

  it('leaves nothing raw for a flowable: its properties are the decider\'s (an I/O call there fails)', () => {
    expect(propertiesLeftRaw(CORE_TASK_CATALOG, { condition: "{{ kv('k') }}" }, 'If').size).toBe(0);
    expect(propertiesLeftRaw(CORE_TASK_CATALOG, { inputs: { a: "{{ kv('k') }}" } }, 'io.kestra.plugin.core.flow.Subflow').size).toBe(0);
    expect([...propertiesLeftRaw(CORE_TASK_CATALOG, { message: "{{ kv('k') }}", level: 'INFO' }, 'io.kestra.plugin.core.log.Log')]).toEqual(['message']);
  });

  it('changes nothing for a job without I/O', () => {
    const s = new Scenario(`id: f\nnamespace: n\ntasks:\n  - { id: a, type: Log, message: "hi {{ execution.id }}" }\n`);
    const [job] = jobsOf(s.advance(T(1)));
    expect(job).toEqual({ executionId: 'e', taskRunId: 'e.0', taskId: 'a', attempt: 1, type: 'Log', properties: { message: 'hi e' } });
  });
});
