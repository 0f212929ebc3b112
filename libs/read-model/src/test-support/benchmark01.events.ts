import { randomUUID } from 'node:crypto';
import type { EventData } from '@chronicle/event-store';

/** Stream of one benchmark01 run (Kestra's benchmark flow: OutputValues then Log), hand-written. */
export const executionStream = (executionId: string): string => `execution-${executionId}`;

export const BENCHMARK01_SOURCE = `id: benchmark01
namespace: benchmarks
inputs:
  - id: name
    type: STRING
    defaults: World
tasks:
  - id: concatenate
    type: io.kestra.plugin.core.output.OutputValues
    values:
      message: Hello {{ inputs.name }}
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.concatenate.values.message }}"
`;

export const benchmark01Definition = (revision: number) => ({
  id: 'benchmark01',
  namespace: 'benchmarks',
  revision,
  labels: {},
  inputs: [{ id: 'name', type: 'STRING', defaults: 'World', required: false }],
  tasks: [
    { id: 'concatenate', type: 'OutputValues', typeName: 'io.kestra.plugin.core.output.OutputValues', properties: { values: { message: 'Hello {{ inputs.name }}' } } },
    { id: 'hello', type: 'Log', typeName: 'io.kestra.plugin.core.log.Log', properties: { message: '{{ outputs.concatenate.values.message }}' } },
  ],
  triggers: [],
  extra: {},
});

const at = (second: number): string => new Date(Date.UTC(2025, 0, 1, 12, 0, second)).toISOString();

function event(type: string, data: unknown, second: number): EventData {
  return { id: randomUUID(), type, data, metadata: { schemaVersion: 1, occurredAt: at(second), correlationId: 'c-1' } };
}

/** The first `count` events (default all 9) of a successful run, in stream order. */
export function benchmark01Events(executionId: string, options: { name?: string; count?: number; base?: number } = {}): EventData[] {
  const name = options.name ?? 'World';
  const s = options.base ?? 0;
  const concatenate = `${executionId}-concatenate`;
  const hello = `${executionId}-hello`;
  const all = [
    event('ExecutionCreated', {
      executionId, namespace: 'benchmarks', flowId: 'benchmark01', flowRevision: 1, inputs: { name }, labels: { team: 'bench' },
      originalId: executionId, at: at(s),
    }, s),
    event('ExecutionStarted', { at: at(s + 1) }, s + 1),
    event('TaskRunCreated', {
      taskRunId: concatenate, taskId: 'concatenate', at: at(s + 2),
      job: { executionId, taskRunId: concatenate, taskId: 'concatenate', attempt: 1, type: 'OutputValues', properties: { values: { message: `Hello ${name}` } } },
    }, s + 2),
    event('TaskRunStarted', { taskRunId: concatenate, attempt: 1, workerId: 'w-1', at: at(s + 3) }, s + 3),
    event('TaskRunSucceeded', { taskRunId: concatenate, attempt: 1, outputs: { values: { message: `Hello ${name}` } }, at: at(s + 4) }, s + 4),
    event('TaskRunCreated', {
      taskRunId: hello, taskId: 'hello', at: at(s + 5),
      job: { executionId, taskRunId: hello, taskId: 'hello', attempt: 1, type: 'Log', properties: { message: `Hello ${name}` } },
    }, s + 5),
    event('TaskRunStarted', { taskRunId: hello, attempt: 1, workerId: 'w-1', at: at(s + 6) }, s + 6),
    event('TaskRunSucceeded', { taskRunId: hello, attempt: 1, outputs: {}, at: at(s + 7) }, s + 7),
    event('ExecutionSucceeded', { outputs: { greeting: `Hello ${name}` }, at: at(s + 8) }, s + 8),
  ];
  return all.slice(0, options.count ?? all.length);
}

export function flowDeployed(revision: number, source = BENCHMARK01_SOURCE): EventData {
  return event('FlowRevisionDeployed', {
    namespace: 'benchmarks', flowId: 'benchmark01', revision, source, definition: benchmark01Definition(revision), at: at(revision),
  }, revision);
}
