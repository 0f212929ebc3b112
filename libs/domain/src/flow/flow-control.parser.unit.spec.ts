import { describe, expect, it } from 'vitest';
import { FlowValidationError } from './flow-validation.error.js';
import { parseFlow } from './flow.parser.js';
import { CORE_TASK_CATALOG } from '../task-types/core-task-catalog.js';

const issuesOf = (source: string): string[] => {
  try {
    parseFlow(source, CORE_TASK_CATALOG);
  } catch (error) {
    if (error instanceof FlowValidationError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  throw new Error('expected a FlowValidationError');
};

describe('parseFlow: flow-level control properties', () => {
  it('reads errors, finally, outputs, retry, concurrency, timeout, disabled, priority, variables', () => {
    const flow = parseFlow(`id: f
namespace: n
disabled: false
priority: 5
timeout: PT1H
variables: { region: eu }
retry: { type: exponential, interval: PT1S, maxInterval: PT1M, maxAttempts: 4, behavior: CREATE_NEW_EXECUTION }
concurrency: { limit: 2, behavior: CANCEL, key: "{{ inputs.customer }}" }
tasks: [{ id: a, type: Log, message: a }]
errors: [{ id: e, type: Log, message: e }]
finally: [{ id: z, type: Log, message: z }]
outputs:
  - { id: key, type: STRING, value: "{{ outputs.a }}" }
`, CORE_TASK_CATALOG);
    expect(flow).toMatchObject({
      disabled: false,
      priority: 5,
      timeout: 'PT1H',
      variables: { region: 'eu' },
      retry: { type: 'exponential', interval: 'PT1S', maxInterval: 'PT1M', maxAttempt: 4, behavior: 'CREATE_NEW_EXECUTION', warningOnRetry: false },
      concurrency: { limit: 2, behavior: 'CANCEL', key: '{{ inputs.customer }}' },
      outputs: [{ id: 'key', type: 'STRING', value: '{{ outputs.a }}' }],
    });
    expect(flow.errors?.map((t) => t.id)).toEqual(['e']);
    expect(flow.finally?.map((t) => t.id)).toEqual(['z']);
    expect(flow.extra).toEqual({});
  });

  it('reports malformed control properties, each at its path', () => {
    const issues = issuesOf(`id: f
namespace: n
timeout: soon
retry: { type: constant, maxAttempt: 0 }
concurrency: { limit: 1, behavior: DROP }
tasks: [{ id: a, type: Log, message: a, retry: { type: random, maxAttempt: 2, behavior: SOMETIMES } }]
`);
    expect(issues).toHaveLength(6);
    expect(issues).toEqual(expect.arrayContaining([
      'tasks[0].retry: a random retry needs "minInterval" and "maxInterval"',
      'tasks[0].retry.behavior: must be one of RETRY_FAILED_TASK, CREATE_NEW_EXECUTION',
      'retry.maxAttempt: must be an integer >= 1, got number 0',
      'retry: a constant retry needs an "interval"',
      'concurrency.behavior: must be one of QUEUE, CANCEL, FAIL',
      'timeout: must be an ISO-8601 duration such as PT30S, got string "soon"',
    ]));
  });
});

describe('parseFlow: flowable tasks', () => {
  it('parses nested lists recursively under short and full names, keeping control properties apart', () => {
    const flow = parseFlow(`id: f
namespace: n
tasks:
  - id: seq
    type: io.kestra.plugin.core.flow.Sequential
    allowFailure: true
    retry: { type: constant, interval: PT1S, maxAttempt: 2 }
    tasks:
      - id: sw
        type: Switch
        value: "{{ inputs.x }}"
        cases:
          A: [{ id: a, type: Log, message: a }]
          1: [{ id: one, type: Log, message: one, timeout: PT5S, disabled: true }]
        defaults: [{ id: other, type: Log, message: other }]
    errors: [{ id: handler, type: Log, message: h }]
`, CORE_TASK_CATALOG);
    const seq = flow.tasks[0];
    expect(seq).toMatchObject({ id: 'seq', type: 'Sequential', allowFailure: true, retry: { maxAttempt: 2 }, properties: {} });
    expect(seq.lists?.errors?.map((t) => t.id)).toEqual(['handler']);
    const sw = seq.lists?.tasks?.[0];
    expect(sw?.properties).toEqual({ value: '{{ inputs.x }}' });
    expect(Object.keys(sw?.cases ?? {})).toEqual(['1', 'A']);
    expect(sw?.cases?.['1']?.[0]).toMatchObject({ id: 'one', timeout: 'PT5S', disabled: true, properties: { message: 'one' } });
    expect(sw?.lists?.defaults?.map((t) => t.id)).toEqual(['other']);
  });

  it('checks ids across every nested list and validates nested tasks and flowable properties', () => {
    expect(issuesOf(`id: f
namespace: n
tasks:
  - id: if
    type: If
    then: [{ id: a, type: Log, message: a }]
    else: [{ id: a, type: Log }]
  - id: each
    type: ForEach
    values: 3
    concurrencyLimit: -1
    tasks: [{ id: b, type: Nope }]
  - id: nap
    type: Sleep
    duration: later
errors: [{ id: b, type: Log, message: b }]
`)).toEqual([
      'tasks[0]: required property "condition" is missing',
      'tasks[0].else[0].id: Duplicate task id with name [a] (task ids are unique across the flow)',
      'tasks[0].else[0]: required property "message" is missing',
      'tasks[1].values: must be a list or an expression',
      'tasks[1].concurrencyLimit: must be an integer >= 0',
      expect.stringMatching(/^tasks\[1\]\.tasks\[0\]\.type: unknown task type "Nope"/),
      'tasks[2].duration: must be an ISO-8601 duration such as PT30S',
      'errors[0].id: Duplicate task id with name [b] (task ids are unique across the flow)',
    ]);
  });

  it('requires the lists a flowable cannot do without', () => {
    expect(issuesOf('id: f\nnamespace: n\ntasks:\n  - { id: p, type: Parallel }\n  - { id: s, type: Subflow, flowId: child }\n')).toEqual([
      'tasks[0]: required property "tasks" is missing',
      'tasks[1]: required property "namespace" is missing',
    ]);
  });
});
