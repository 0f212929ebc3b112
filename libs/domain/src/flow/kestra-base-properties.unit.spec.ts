import { describe, expect, it } from 'vitest';
import { FLOW_PROPERTIES, TASK_BASE_PROPERTIES } from './base-properties.js';
import { KESTRA_FLOW_PROPERTIES, KESTRA_RETRY_PROPERTIES, KESTRA_TASK_PROPERTIES } from './fixtures/kestra-base-properties.js';
import { parseFlow } from './flow.parser.js';
import { FlowValidationError } from './flow-validation.error.js';
import { CORE_TASK_CATALOG } from '../task-types/core-task-catalog.js';

/**
 * Walks the properties of Kestra's base classes (fixtures/kestra-base-properties.ts, listed from
 * Kestra's source) and fails on any that Chronicle neither implements nor refuses at deploy.
 * Each property is tried with a sample value, as a flow would write it.
 */
const errorOf = (source: string): FlowValidationError | undefined => {
  try {
    parseFlow(source, CORE_TASK_CATALOG);
    return undefined;
  } catch (error) {
    if (error instanceof FlowValidationError) return error;
    throw error;
  }
};

const BASE_TASK = '  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n';

/** A task property line (indented under the task) with a value Chronicle accepts, and one it refuses (conditional ones). */
const TASK_SAMPLES: Record<string, { ok: string; refused?: string }> = {
  id: { ok: '' },
  type: { ok: '' },
  description: { ok: '    description: says hi\n' },
  retry: { ok: '    retry: { type: constant, interval: PT1S, maxAttempt: 2 }\n' },
  timeout: { ok: '    timeout: PT1M\n' },
  disabled: { ok: '    disabled: false\n' },
  workerGroup: { ok: '    workerGroup: { key: gpu, fallback: WAIT }\n' },
  logLevel: { ok: '    logLevel: WARN\n' },
  allowFailure: { ok: '    allowFailure: true\n' },
  logToFile: { ok: '    logToFile: true\n' },
  runIf: { ok: '    runIf: "{{ 1 == 1 }}"\n' },
  allowWarning: { ok: '    allowWarning: true\n' },
};

/** A top-level flow property with a value Chronicle accepts (or the refused one). */
const FLOW_SAMPLES: Record<string, { ok?: string; refused?: string }> = {
  id: { ok: '' },
  namespace: { ok: '' },
  revision: { ok: 'revision: 3\n' },
  inputs: { ok: 'inputs:\n  - id: x\n    type: STRING\n' },
  disabled: { ok: 'disabled: false\n' },
  deleted: { ok: 'deleted: false\n', refused: 'deleted: true\n' },
  tenantId: { refused: 'tenantId: main\n' },
  description: { ok: 'description: d\n' },
  labels: { ok: 'labels: { a: b }\n' },
  variables: { ok: 'variables: { a: 1 }\n' },
  tasks: { ok: '' },
  errors: { ok: 'errors:\n  - id: e\n    type: Log\n    message: failed\n' },
  finally: { ok: 'finally:\n  - id: f\n    type: Log\n    message: done\n' },
  listeners: { refused: 'listeners:\n  - tasks: []\n' },
  triggers: { ok: 'triggers: []\n' },
  pluginDefaults: { ok: 'pluginDefaults:\n  - type: io.kestra.plugin.core.log\n    values: { level: WARN }\n' },
  taskDefaults: { ok: 'taskDefaults:\n  - type: Log\n    values: { level: WARN }\n' },
  concurrency: { ok: 'concurrency: { limit: 1 }\n' },
  outputs: { ok: 'outputs:\n  - id: o\n    type: STRING\n    value: x\n' },
  retry: { ok: 'retry: { type: constant, interval: PT1S, maxAttempt: 2 }\n' },
  sla: { ok: 'sla:\n  - id: max\n    type: MAX_DURATION\n    duration: PT1H\n    behavior: FAIL\n' },
  afterExecution: { ok: 'afterExecution:\n  - id: after\n    type: Log\n    message: ended\n' },
};

const flowWith = (top: string, task = ''): string => `id: f\nnamespace: company.team\n${top}tasks:\n${BASE_TASK}${task}`;

describe("Kestra's base-class properties", () => {
  it.each(KESTRA_TASK_PROPERTIES.properties)(`task property %s (${KESTRA_TASK_PROPERTIES.source}) is implemented or refused`, (name) => {
    const support = TASK_BASE_PROPERTIES[name];
    expect(support, `${name} is missing from TASK_BASE_PROPERTIES`).toBeTypeOf('object');
    const sample = TASK_SAMPLES[name];
    expect(sample, `no sample for task property ${name}`).toBeTypeOf('object');
    if (support!.status === 'refused') {
      expect(errorOf(flowWith('', sample!.ok))?.message).toContain(name);
      return;
    }
    expect(errorOf(flowWith('', sample!.ok))).toBeUndefined();
    if (support!.status === 'conditional') {
      const error = errorOf(flowWith('', sample!.refused!));
      expect(error?.message).toContain(`"${name}"`);
      expect(error?.issues[0]?.line).toBe(7);
    }
  });

  const flowProperties = KESTRA_FLOW_PROPERTIES.flatMap((group) => group.properties.map((name) => [name, group.source] as const));
  it.each(flowProperties)('flow property %s (%s) is implemented or refused', (name) => {
    const support = FLOW_PROPERTIES[name];
    expect(support, `${name} is missing from FLOW_PROPERTIES`).toBeTypeOf('object');
    const sample = FLOW_SAMPLES[name];
    expect(sample, `no sample for flow property ${name}`).toBeTypeOf('object');
    if (sample!.ok !== undefined) expect(support!.status).not.toBe('refused');
    if (sample!.ok !== undefined) expect(errorOf(flowWith(sample!.ok))).toBeUndefined();
    if (support!.status === 'refused' || support!.status === 'conditional') {
      const error = errorOf(flowWith(sample!.refused!));
      expect(error?.message).toContain(`"${name}"`);
      // The refusal points at the property (line 3) or its block value (line 4).
      expect([3, 4]).toContain(error?.issues.find((i) => i.path === name)?.line);
    }
  });

  it(`accepts every retry property of ${KESTRA_RETRY_PROPERTIES.source}`, () => {
    const retry = '    retry:\n      type: exponential\n      interval: PT1S\n      maxInterval: PT10S\n      delayFactor: 2\n      maxAttempt: 3\n      maxDuration: PT1M\n      warningOnRetry: true\n      behavior: RETRY_FAILED_TASK\n';
    const random = '    retry: { type: random, minInterval: PT1S, maxInterval: PT2S, maxAttempt: 2 }\n';
    expect(errorOf(flowWith('', retry))).toBeUndefined();
    expect(errorOf(flowWith('', random))).toBeUndefined();
    const written = retry.split('\n').map((l) => l.trim().split(':')[0]).filter((k) => k !== '' && k !== 'retry');
    expect([...new Set([...written, 'minInterval'])].sort()).toEqual([...KESTRA_RETRY_PROPERTIES.properties].sort());
  });

  it("newer Kestra's task properties: version is accepted, taskCache refused with its reason", () => {
    expect(errorOf(flowWith('', '    version: "1.0.0"\n'))).toBeUndefined();
    expect(errorOf(flowWith('', '    taskCache: { enabled: true }\n'))?.issues[0]).toMatchObject({ path: 'tasks[0].taskCache', message: expect.stringMatching(/^task property "taskCache" is not supported/) });
  });

  it('refuses a top-level property that is not a flow property, with its line', () => {
    const error = errorOf(flowWith('colour: blue\n'));
    expect(error?.issues).toEqual([expect.objectContaining({ path: 'colour', message: 'unknown flow property "colour"', line: 3 })]);
  });

  it('refuses a runIf that is not an expression, or does not parse', () => {
    expect(errorOf(flowWith('', '    runIf: [a]\n'))?.issues[0]).toMatchObject({ path: 'tasks[0].runIf', line: 7 });
    expect(errorOf(flowWith('', '    runIf: "{{ outputs. }}"\n'))?.issues[0]?.message).toMatch(/is invalid: syntax error/);
    expect(errorOf(flowWith('', '    logLevel: LOUD\n'))?.issues[0]?.message).toMatch(/must be one of TRACE, DEBUG, INFO, WARN, ERROR/);
    // Kestra's FlowTest#workerGroup (flows/invalids/worker-group.yaml): an Enterprise Edition property its open-source edition refuses.
    expect(errorOf(flowWith('', '    workerGroup: { key: gpu, fallback: WAIT }\n'))?.issues[0]).toMatchObject({ path: 'tasks[0].workerGroup', message: expect.stringContaining('Worker Group is an Enterprise Edition functionality') });
  });

  it("refuses a property a known task type does not take, with its line and what the type takes", () => {
    expect(errorOf(flowWith('', '    colour: blue\n'))?.issues).toEqual([expect.objectContaining({
      path: 'tasks[0].colour',
      line: 7,
      message: expect.stringMatching(/^unknown property "colour" of Log \(it takes message, level, and every task's description, retry, timeout/),
    })]);
    const subflow = 'id: f\nnamespace: n\ntasks:\n  - { id: s, type: Subflow, namespace: n, flowId: g, scheduleDate: "2030-01-01T00:00:00Z" }\n';
    expect(errorOf(subflow)?.issues[0]?.message).toMatch(/^property "scheduleDate" of Subflow is not supported/);
  });

  it('keeps runIf and logLevel on the task definition, out of its properties', () => {
    const flow = parseFlow(flowWith('', '    runIf: "{{ true }}"\n    logLevel: ERROR\n'), CORE_TASK_CATALOG);
    expect(flow.tasks[0]).toMatchObject({ runIf: '{{ true }}', logLevel: 'ERROR', properties: { message: 'hi' } });
  });

  // Kestra's YamlParser reads flows with its STRICT_MAPPER: a field its class does not have fails the flow
  // (core/src/main/java/io/kestra/core/serializers/YamlParser.java); the classes are retrys/*.java,
  // flows/Concurrency.java, flows/Output.java and Label.java.
  it('refuses a key the retry type, the concurrency, a flow output or a label does not have, with its path', () => {
    const paths = (source: string) => errorOf(source)?.issues.map((i) => [i.path, i.message]);
    expect(paths(flowWith('', '    retry: { type: constant, interval: PT1S, maxAttempt: 2, delayFactor: 2 }\n'))).toEqual([
      ['tasks[0].retry.delayFactor', 'unknown property "delayFactor" of a constant retry (it takes type, maxAttempt, maxAttempts, maxDuration, warningOnRetry, behavior, interval)'],
    ]);
    expect(errorOf(flowWith('', '    retry: { type: exponential, interval: PT1S, maxInterval: PT5S, delayFactor: 2, maxAttempt: 2 }\n'))).toBeUndefined();
    expect(paths(flowWith('concurrency: { limit: 1, behaviour: FAIL }\n'))?.[0]?.[0]).toBe('concurrency.behaviour');
    expect(paths(flowWith('outputs:\n  - { id: o, type: STRING, value: x, valeu: y }\n'))?.[0]?.[0]).toBe('outputs[0].valeu');
    expect(errorOf(flowWith('outputs:\n  - { id: o, type: STRING, value: x, displayName: Result }\n'))).toBeUndefined();
    expect(paths(flowWith('labels:\n  - { key: team, value: data, colour: blue }\n'))?.[0]?.[0]).toBe('labels[0].colour');
  });
});
