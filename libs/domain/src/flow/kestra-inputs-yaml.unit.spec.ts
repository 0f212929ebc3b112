import { describe, expect, it } from 'vitest';
import { parseFlow } from './flow.parser.js';
import { InputValidationError } from './input-validation.error.js';
import { resolveInputs } from './inputs.resolver.js';
import { CORE_TASK_CATALOG } from '../task-types/core-task-catalog.js';

/**
 * The inputs of Kestra's test flow core/src/test/resources/flows/valids/inputs.yaml, with the
 * values and assertions of core/src/test/java/io/kestra/core/runners/InputsTest.java
 * (allValidInputs and the *BadValue cases; the file is given as a kestra:/// reference).
 */
const flow = parseFlow(`id: inputs
namespace: io.kestra.tests
inputs:
- id: string
  type: STRING
- id: enum
  type: ENUM
  values:
    - ENUM_VALUE
    - OTHER_ONE
- id: optional
  type: STRING
  required: false
- id: int
  type: INT
- id: bool
  type: BOOLEAN
  required: false
- id: float
  type: FLOAT
- id: instant
  type: DATETIME
- id: date
  type: DATE
  required: false
- id: time
  type: TIME
  required: false
- id: duration
  type: DURATION
  required: false
- id: file
  type: FILE
- id: optionalFile
  type: FILE
  required: false
- id: instantDefaults
  type: DATETIME
  defaults: "2013-08-09T14:19:00Z"
- id: json
  type: JSON
  required: false
- id: uri
  type: URI
  required: false
- id: nested.string
  type: STRING
  required: false
- id: nested.more.int
  type: INT
  required: false
- id: nested.bool
  type: BOOLEAN
  required: false
- id: validatedString
  type: STRING
  validator: A\\d+
  required: false
- id: validatedInt
  type: INT
  min: 10
  max: 20
  required: false
- id: validatedDate
  type: DATE
  after: 2023-01-01
  before: 2023-12-31
  required: false
- id: validatedDateTime
  type: DATETIME
  after: "2023-01-01T00:00:00Z"
  before: "2023-12-31T23:59:59Z"
  required: false
- id: validatedDuration
  type: DURATION
  min: PT10S
  max: PT20S
  required: false
- id: validatedFloat
  type: FLOAT
  min: 0.1
  max: 0.5
  required: false
- id: validatedTime
  type: TIME
  after: "01:00:00"
  before: "11:59:59"
  required: false
- name: secret
  type: SECRET
- name: array
  type: ARRAY
  itemType: INT
- name: yaml
  type: YAML
  defaults:
    property: something
    list:
    - key: key1
      value: value1
    - key: key2
      value: value2
# required true and an empty default value will only work if we correctly serialize default values which is what this input is about to test.
- name: empty
  type: STRING
  defaults: ''
  required: true
tasks:
  - { id: string, type: io.kestra.plugin.core.debug.Return, format: "{{inputs.string}}" }
`, CORE_TASK_CATALOG);

const INPUTS: Record<string, unknown> = {
  string: 'myString', enum: 'ENUM_VALUE', int: '42', float: '42.42', bool: 'false', instant: '2019-10-06T18:27:49Z',
  date: '2019-10-06', time: '18:27:49', duration: 'PT5M6S', file: 'kestra:///io/kestra/tests/inputs/executions/test/inputs/file/application-test.yml',
  json: '{"a": "b"}', uri: 'https://www.google.com', 'nested.string': 'a string', 'nested.more.int': '123', 'nested.bool': 'true',
  validatedString: 'A123', validatedInt: '12', validatedDate: '2023-01-02', validatedDateTime: '2023-01-01T00:00:10Z',
  validatedDuration: 'PT15S', validatedFloat: '0.42', validatedTime: '11:27:49', secret: 'secret', array: '[1, 2, 3]',
  yaml: 'some: property\nalist:\n- of\n- values',
};

const failure = (inputs: Record<string, unknown>): string => {
  try {
    resolveInputs(flow, inputs);
  } catch (error) {
    if (error instanceof InputValidationError) return error.issues.map((i) => `${i.input}: ${i.message}`).join('; ');
    throw error;
  }
  throw new Error('expected InputValidationError');
};

describe("Kestra's inputs.yaml (InputsTest)", () => {
  it('allValidInputs: every type typed, dotted ids nested, defaults applied', () => {
    const typed = resolveInputs(flow, INPUTS);
    expect(typed).toMatchObject({
      string: 'myString', enum: 'ENUM_VALUE', int: 42, float: 42.42, bool: false, instant: '2019-10-06T18:27:49Z',
      instantDefaults: '2013-08-09T14:19:00Z', date: '2019-10-06', time: '18:27:49', duration: 'PT5M6S',
      json: { a: 'b' }, uri: 'https://www.google.com', nested: { string: 'a string', bool: true, more: { int: 123 } },
      validatedString: 'A123', validatedInt: 12, validatedDate: '2023-01-02', validatedDateTime: '2023-01-01T00:00:10Z',
      validatedDuration: 'PT15S', validatedFloat: 0.42, validatedTime: '11:27:49', array: [1, 2, 3],
      yaml: { some: 'property', alist: ['of', 'values'] }, empty: '',
    });
    expect(typed.optional).toBeNull();
  });

  it('missingRequired names the input', () => {
    const { string: _omitted, ...rest } = INPUTS;
    expect(failure(rest)).toBe('string: required input is missing (STRING)');
  });

  it.each([
    ['validatedString', 'foo', /must match the pattern/],
    ['validatedInt', '9', /must be at least 10/],
    ['validatedInt', '21', /must be at most 20/],
    ['validatedDate', '2022-01-01', /must be at least 2023-01-01/],
    ['validatedDate', '2024-01-01', /must be at most 2023-12-31/],
    ['validatedDateTime', '2022-01-01T00:00:00Z', /must be at least 2023-01-01T00:00:00/],
    ['validatedDuration', 'PT1S', /must be at least PT10S/],
    ['validatedDuration', 'PT30S', /must be at most PT20S/],
    ['validatedFloat', '0.01', /must be at least 0.1/],
    ['validatedFloat', '1.01', /must be at most 0.5/],
    ['validatedTime', '00:00:01', /must be at least 01:00:00/],
    ['validatedTime', '14:00:00', /must be at most 11:59:59/],
    ['uri', 'http:/bla', /expected URI/],
    ['enum', 'INVALID', /expected ENUM \(one of ENUM_VALUE, OTHER_ONE\)/],
    ['array', '["s1", "s2"]', /item 0: expected INT/],
  ])('refuses %s = %s', (id, value, message) => {
    expect(failure({ ...INPUTS, [id]: value })).toMatch(new RegExp(`^${id}: ${message.source}`));
  });

  it('inputEmptyJson: {} is an empty map', () => {
    expect(resolveInputs(flow, { ...INPUTS, json: '{}' }).json).toEqual({});
  });
});
