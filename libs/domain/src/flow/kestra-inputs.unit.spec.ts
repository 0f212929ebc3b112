import { describe, expect, it } from 'vitest';
import { KESTRA_INPUT_PROPERTIES, KESTRA_INPUT_TYPES } from './fixtures/kestra-base-properties.js';
import { INPUT_TYPES } from './flow.model.js';
import { parseFlow } from './flow.parser.js';
import { FlowValidationError } from './flow-validation.error.js';
import { InputValidationError } from './input-validation.error.js';
import { maskSecrets, resolveInputs } from './inputs.resolver.js';
import { CORE_TASK_CATALOG } from '../task-types/core-task-catalog.js';

/** Kestra's input types and Input properties that Chronicle lacked: YAML, SELECT, MULTISELECT, BOOL, dotted ids, dependsOn, expressions. */
const flowWith = (inputs: string) => parseFlow(`id: f\nnamespace: n\ninputs:\n${inputs}\ntasks:\n  - id: a\n    type: Log\n    message: x\n`, CORE_TASK_CATALOG);

const issuesOf = (run: () => unknown): string[] => {
  try {
    run();
  } catch (error) {
    if (error instanceof InputValidationError) return error.issues.map((i) => `${i.input}: ${i.message}`);
    if (error instanceof FlowValidationError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  throw new Error('expected a validation error');
};

const SCOPE = { scope: { executionId: 'e1', now: '2025-01-01T00:00:00.000Z' } };

describe("Kestra's input types", () => {
  it(`knows every type of ${KESTRA_INPUT_TYPES.source} (BOOL is BOOLEAN's newer name)`, () => {
    for (const type of KESTRA_INPUT_TYPES.types) expect(INPUT_TYPES).toContain(type);
    expect(flowWith('  - { id: flag, type: BOOL, defaults: true }').inputs[0]).toMatchObject({ type: 'BOOLEAN', defaults: true });
    // Kestra's docs write types in lower case too (plugin-kestra's Kill example: `type: boolean`).
    expect(flowWith('  - { id: shouldKill, type: boolean, defaults: false }').inputs[0]).toMatchObject({ type: 'BOOLEAN', defaults: false });
  });

  it(`accepts every property of ${KESTRA_INPUT_PROPERTIES.source}`, () => {
    const flow = flowWith(`  - id: first
    type: STRING
  - id: second
    type: STRING
    description: d
    displayName: The second
    required: false
    defaults: x
    dependsOn:
      inputs: [first]
      condition: "{{ inputs.first == 'go' }}"
  - name: legacy
    type: STRING`);
    expect(flow.inputs[1]).toMatchObject({ displayName: 'The second', dependsOn: { inputs: ['first'], condition: "{{ inputs.first == 'go' }}" } });
    const written = ['id', 'name', 'type', 'description', 'dependsOn', 'required', 'defaults', 'displayName'];
    expect(written.sort()).toEqual([...KESTRA_INPUT_PROPERTIES.properties].sort());
  });

  it('refuses a property its type does not take, with its line', () => {
    expect(issuesOf(() => flowWith('  - { id: s, type: STRING, prefill: x }'))).toEqual([
      'inputs[0].prefill: unknown property "prefill" of an input of type STRING (it takes id, name, type, description, dependsOn, required, defaults, displayName, validator, regex, minLength, maxLength)',
    ]);
  });

  it('YAML: text is parsed, a structure written in the flow is kept (flows/valids/inputs.yaml, input "yaml")', () => {
    const flow = flowWith(`  - name: yaml
    type: YAML
    defaults:
      property: something
      list:
      - key: key1
        value: value1`);
    expect(resolveInputs(flow, {})).toEqual({ yaml: { property: 'something', list: [{ key: 'key1', value: 'value1' }] } });
    expect(resolveInputs(flow, { yaml: 'a: 1\nb: [x, y]\n' })).toEqual({ yaml: { a: 1, b: ['x', 'y'] } });
    expect(issuesOf(() => resolveInputs(flow, { yaml: 'a: [1' }))).toEqual(['yaml: expected YAML (a YAML document (or a structure)), got text that is not valid YAML']);
  });

  it('SELECT: one of values, or anything with allowCustomValue (SelectInput.validate)', () => {
    const flow = flowWith(`  - { id: env, type: SELECT, values: [dev, prod], isRadio: true }
  - { id: free, type: SELECT, values: [a], allowCustomValue: true, required: false }`);
    expect(resolveInputs(flow, { env: 'prod', free: 'zzz' })).toEqual({ env: 'prod', free: 'zzz' });
    expect(issuesOf(() => resolveInputs(flow, { env: 'test' }))).toEqual(['env: expected SELECT (one of dev, prod), got string "test"']);
  });

  it('MULTISELECT: a list of values (or its JSON text), typed by itemType; options is the deprecated name (MultiselectInput.validate)', () => {
    const flow = flowWith(`  - { id: days, type: MULTISELECT, values: [MON, TUE, WED] }
  - { id: legacy, type: MULTISELECT, options: ["1", "2"], itemType: INT, required: false }
  - { id: tags, type: MULTISELECT, values: [x], allowCustomValue: true, required: false }`);
    expect(resolveInputs(flow, { days: ['MON', 'WED'], legacy: '[2]', tags: ['x', 'y'] })).toEqual({ days: ['MON', 'WED'], legacy: [2], tags: ['x', 'y'] });
    expect(issuesOf(() => resolveInputs(flow, { days: ['MON', 'SUN'] }))).toEqual(['days: "SUN" must be one of MON, TUE, WED']);
    expect(issuesOf(() => flowWith('  - { id: both, type: MULTISELECT, values: [a], options: [b] }'))).toEqual([
      "inputs[0].options: you can't define both `values` and `options`",
    ]);
  });

  it('SELECT / MULTISELECT values from an expression, rendered with the inputs they depend on', () => {
    const flow = flowWith(`  - id: cloud
    type: SELECT
    values: [AWS, GCP]
  - id: region
    type: SELECT
    expression: "{{ inputs.cloud == 'AWS' ? ['us-east-1', 'eu-west-1'] : ['europe-west1'] }}"
    dependsOn:
      inputs: [cloud]`);
    expect(resolveInputs(flow, { cloud: 'AWS', region: 'eu-west-1' }, SCOPE)).toEqual({ cloud: 'AWS', region: 'eu-west-1' });
    expect(issuesOf(() => resolveInputs(flow, { cloud: 'GCP', region: 'eu-west-1' }, SCOPE))).toEqual(['region: expected SELECT (one of europe-west1), got string "eu-west-1"']);
  });

  it('dotted ids nest, given flat or nested (flows/valids/inputs.yaml: nested.string, nested.more.int, nested.bool)', () => {
    const flow = flowWith(`  - { id: nested.string, type: STRING, required: false }
  - { id: nested.more.int, type: INT, required: false }
  - { id: nested.bool, type: BOOLEAN, required: false }
  - { id: nested.secret, type: SECRET, required: false }`);
    const inputs = resolveInputs(flow, { 'nested.string': 'a string', nested: { more: { int: '123' } }, 'nested.bool': 'true', 'nested.secret': 'pw' });
    expect(inputs).toEqual({ nested: { string: 'a string', more: { int: 123 }, bool: true, secret: 'pw' } });
    expect(maskSecrets(flow, inputs)).toEqual({ nested: { string: 'a string', more: { int: 123 }, bool: true, secret: '******' } });
    expect(issuesOf(() => flowWith('  - { id: "bad..id", type: STRING }'))[0]).toMatch(/^inputs\[0\]\.id: must be an input id/);
  });

  it('dependsOn: an input exists only when its dependencies do and its condition is true', () => {
    const flow = flowWith(`  - id: mode
    type: SELECT
    values: [simple, advanced]
  - id: depth
    type: INT
    dependsOn:
      inputs: [mode]
      condition: "{{ inputs.mode == 'advanced' }}"
  - id: detail
    type: STRING
    defaults: full
    dependsOn:
      inputs: [depth]`);
    // The required `depth` is left out (not missing) while its condition is false, and so is `detail`.
    expect(resolveInputs(flow, { mode: 'simple' }, SCOPE)).toEqual({ mode: 'simple' });
    expect(resolveInputs(flow, { mode: 'advanced', depth: 3 }, SCOPE)).toEqual({ mode: 'advanced', depth: 3, detail: 'full' });
    expect(issuesOf(() => resolveInputs(flow, { mode: 'advanced' }, SCOPE))).toEqual(['depth: required input is missing (INT)']);
  });

  it('a dependsOn cycle or a condition that cannot render is reported', () => {
    const cycle = flowWith(`  - { id: a, type: STRING, dependsOn: { inputs: [b] } }
  - { id: b, type: STRING, dependsOn: { inputs: [a] } }`);
    expect(issuesOf(() => resolveInputs(cycle, { a: 'x', b: 'y' }))).toEqual(['a: dependsOn forms a cycle: a -> b -> a']);
    const broken = flowWith(`  - { id: a, type: STRING }
  - { id: b, type: STRING, dependsOn: { inputs: [a], condition: "{{ inputs.missing == 1 }}" } }`);
    expect(issuesOf(() => resolveInputs(broken, { a: 'x', b: 'y' }))[0]).toMatch(/^b: invalid dependsOn condition: .*inputs\.missing/);
  });

  it('an expression default is rendered with the inputs before it', () => {
    const flow = flowWith(`  - { id: name, type: STRING }
  - { id: greeting, type: STRING, defaults: "Hello {{ inputs.name }}", dependsOn: { inputs: [name] } }
  - { id: run, type: STRING, defaults: "{{ execution.id }}" }`);
    expect(resolveInputs(flow, { name: 'Ada' }, SCOPE)).toEqual({ name: 'Ada', greeting: 'Hello Ada', run: 'e1' });
    expect(resolveInputs(flow, { name: 'Ada', greeting: 'Hi' }, SCOPE)).toEqual({ name: 'Ada', greeting: 'Hi', run: 'e1' });
  });

  it("DATE, DATETIME and TIME take Kestra's after/before (flows/valids/inputs.yaml: validatedDate, validatedTime)", () => {
    const flow = flowWith(`  - id: validatedDate
    type: DATE
    after: 2023-01-01
    before: 2023-12-31
  - id: validatedTime
    type: TIME
    after: "01:00:00"
    before: "11:59:59"`);
    expect(resolveInputs(flow, { validatedDate: '2023-06-01', validatedTime: '10:00:00' })).toEqual({ validatedDate: '2023-06-01', validatedTime: '10:00:00' });
    expect(issuesOf(() => resolveInputs(flow, { validatedDate: '2024-01-01', validatedTime: '00:59:00' }))).toEqual([
      'validatedDate: must be at most 2023-12-31, got "2024-01-01"',
      'validatedTime: must be at least 01:00:00, got "00:59:00"',
    ]);
  });

  it('required defaults to true, as Kestra (Input.java); a default fills the value', () => {
    const flow = flowWith(`  - { id: plain, type: STRING }
  - { id: withDefault, type: STRING, defaults: x }
  - { id: empty, type: STRING, defaults: '', required: true }`);
    expect(flow.inputs.map((i) => i.required)).toEqual([true, true, true]);
    expect(resolveInputs(flow, { plain: 'p' })).toEqual({ plain: 'p', withDefault: 'x', empty: '' });
    expect(issuesOf(() => resolveInputs(flow, {}))).toEqual(['plain: required input is missing (STRING)']);
  });
});
