import { describe, expect, it } from 'vitest';
import { BENCHMARK01_FULL_NAMES, BENCHMARK01_SHORT_NAMES } from '../testing/flow-fixtures.js';
import { FlowValidationError } from './flow-validation.error.js';
import { parseFlow } from './flow.parser.js';
import { CORE_TASK_CATALOG } from '../task-types/core-task-catalog.js';

const issuesOf = (source: string) => {
  try {
    parseFlow(source, CORE_TASK_CATALOG);
  } catch (error) {
    if (error instanceof FlowValidationError) return error;
    throw error;
  }
  throw new Error('expected FlowValidationError');
};

describe('parseFlow', () => {
  it.each([
    ['full Kestra type names', BENCHMARK01_FULL_NAMES],
    ['short type names', BENCHMARK01_SHORT_NAMES],
  ])('parses the benchmark flow written with %s', (_, source) => {
    const flow = parseFlow(source, CORE_TASK_CATALOG, 3);
    expect(flow).toEqual({
      id: 'benchmark01',
      namespace: 'benchmarks',
      revision: 3,
      labels: {},
      inputs: [{ id: 'name', type: 'STRING', defaults: 'World', required: true }],
      tasks: [
        {
          id: 'concatenate',
          type: 'OutputValues',
          typeName: source === BENCHMARK01_FULL_NAMES ? 'io.kestra.plugin.core.output.OutputValues' : 'OutputValues',
          properties: { values: { message: 'Hello {{ inputs.name }}' } },
        },
        {
          id: 'hello',
          type: 'Log',
          typeName: source === BENCHMARK01_FULL_NAMES ? 'io.kestra.plugin.core.log.Log' : 'Log',
          properties: { message: '{{ outputs.concatenate.values.message }}' },
        },
      ],
      triggers: [],
      extra: {},
    });
  });

  it('defaults the revision to 0', () => {
    expect(parseFlow(BENCHMARK01_SHORT_NAMES, CORE_TASK_CATALOG).revision).toBe(0);
  });

  it('reports malformed YAML with the parser line', () => {
    const error = issuesOf('id: a\nnamespace: b\ntasks:\n  - id: x\n    type: Log\n   message: [unclosed\n');
    expect(error.code).toBe('FLOW_INVALID');
    expect(error.issues.length).toBeGreaterThan(0);
    expect(error.issues[0]).toMatchObject({ path: '(root)', line: 6 });
    expect(error.issues[0].message).toMatch(/^malformed YAML: /);
  });

  it('reports a missing id at the document', () => {
    const error = issuesOf('namespace: company.team\ntasks:\n  - id: t\n    type: Log\n    message: hi\n');
    expect(error.issues).toEqual([{ path: '(root)', message: 'required property "id" is missing', line: 1, column: 1 }]);
    expect(error.message).toBe('invalid flow: (root): required property "id" is missing (line 1, column 1)');
  });

  it('reports an unknown task type with its line and column', () => {
    const source = [
      'id: hello',
      'namespace: company.team',
      'tasks:',
      '  - id: first',
      '    type: Log',
      '    message: hi',
      '  - id: second',
      '    # a comment',
      '    type: Foo',
    ].join('\n');
    const error = issuesOf(source);
    expect(error.issues).toEqual([
      { path: 'tasks[1].type', message: expect.stringMatching(/^unknown task type "Foo"; supported: .*Log, .*OutputValues/), line: 9, column: 11 },
    ]);
    expect(error.message).toMatch(/tasks\[1\]\.type: unknown task type "Foo"; supported: .* \(line 9, column 11\)/);
  });

  // Kestra's core/src/test/resources/tasks/flows/sequentials/flow.yaml: `id: 1` is read as "1" (Jackson's coercion).
  it('reads a task id written as a whole number as its text, as Kestra does', () => {
    const flow = parseFlow('id: f\nnamespace: n\ntasks:\n  - id: 1\n    type: Return\n    format: "{{ task.id }}"\n', CORE_TASK_CATALOG);
    expect(flow.tasks[0]?.id).toBe('1');
    expect(() => parseFlow('id: f\nnamespace: n\ntasks:\n  - id: 1.5\n    type: Return\n    format: x\n', CORE_TASK_CATALOG)).toThrow(/tasks\[0\]\.id: must be a string, got/);
  });

  it('rejects duplicate task ids', () => {
    const error = issuesOf('id: f\nnamespace: n\ntasks:\n  - id: a\n    type: Log\n    message: x\n  - id: a\n    type: Log\n    message: y\n');
    expect(error.issues).toEqual([
      { path: 'tasks[1].id', message: 'Duplicate task id with name [a] (task ids are unique across the flow)', line: 7, column: 9 },
    ]);
  });

  it('rejects a default that does not match its input type, and unsupported input types', () => {
    const error = issuesOf(
      'id: f\nnamespace: n\ninputs:\n  - id: count\n    type: INT\n    defaults: many\n  - id: ratio\n    type: DECIMAL\ntasks:\n  - id: a\n    type: Log\n    message: x\n',
    );
    expect(error.issues).toEqual([
      { path: 'inputs[0].defaults', message: 'invalid default: expected INT (a whole number such as 42), got string "many"', line: 6, column: 15 },
      {
        path: 'inputs[1].type',
        message:
          'unsupported input type string "DECIMAL"; supported: STRING, INT, FLOAT, BOOLEAN, DATETIME, DATE, TIME, DURATION, JSON, YAML, ENUM, SELECT, MULTISELECT, ARRAY, URI, EMAIL, SECRET, FILE',
        line: 8,
        column: 11,
      },
    ]);
  });

  it('lists every problem at once: bad ids, empty tasks, per-type properties', () => {
    const error = issuesOf('id: "bad id"\nnamespace: "a..b"\ntasks: []\n');
    expect(error.issues.map((i) => i.path)).toEqual(['id', 'namespace', 'tasks']);
    const props = issuesOf('id: f\nnamespace: n\ntasks:\n  - id: a\n    type: Log\n    level: LOUD\n  - id: b\n    type: OutputValues\n    values: [1]\n');
    expect(props.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'tasks[0]: required property "message" is missing',
      'tasks[0].level: must be one of TRACE, DEBUG, INFO, WARN, ERROR',
      'tasks[1].values: must be a mapping of names to values',
    ]);
  });

  it('applies pluginDefaults under the task\'s own values; keeps labels and triggers', () => {
    const flow = parseFlow(
      [
        'id: f',
        'namespace: company.team',
        'description: Says hello',
        'labels:',
        '  env: prod',
        '  tier: 2',
        'pluginDefaults:',
        '  - type: Log',
        '    values: { level: INFO }',
        'triggers:',
        '  - id: every-minute',
        '    type: io.kestra.plugin.core.trigger.Schedule',
        '    cron: "* * * * *"',
        'inputs:',
        '  - name: legacy',
        '    type: BOOLEAN',
        '    required: false',
        'tasks:',
        '  - id: a',
        '    type: Log',
        '    message: [one, two]',
        '    level: WARN',
      ].join('\n'), CORE_TASK_CATALOG,
    );
    expect(flow.description).toBe('Says hello');
    expect(flow.labels).toEqual({ env: 'prod', tier: '2' });
    expect(flow.extra).toEqual({});
    expect(flow.triggers).toEqual([{ id: 'every-minute', type: 'io.kestra.plugin.core.trigger.Schedule', cron: '* * * * *' }]);
    expect(flow.inputs).toEqual([{ id: 'legacy', type: 'BOOLEAN', required: false }]);
    expect(flow.tasks[0].properties).toEqual({ message: ['one', 'two'], level: 'WARN' });
  });

  it('accepts labels as a list of key/value pairs', () => {
    const flow = parseFlow('id: f\nnamespace: n\nlabels:\n  - key: team\n    value: data\ntasks:\n  - id: a\n    type: Log\n    message: x\n', CORE_TASK_CATALOG);
    expect(flow.labels).toEqual({ team: 'data' });
  });

  it('rejects a document that is not a mapping', () => {
    expect(issuesOf('- just\n- a list\n').issues[0]).toMatchObject({ path: '(root)', line: 1 });
    expect(issuesOf('').issues[0].path).toBe('(root)');
  });

  it('refuses a trigger the scheduler could not run (a condition Chronicle leaves out), naming it and its line', () => {
    const result = issuesOf('id: f\nnamespace: n\ntasks: [{ id: a, type: Log, message: a }]\ntriggers:\n  - id: holiday\n    type: io.kestra.plugin.core.trigger.Flow\n    conditions:\n      - type: io.kestra.plugin.core.condition.PublicHoliday\n');
    expect(result.issues[0]?.path).toMatch(/^triggers\[0\]\.conditions/);
    expect(result.issues[0]?.line).toBe(8);
  });
});
