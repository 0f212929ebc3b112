import { describe, expect, it } from 'vitest';
import type { InputDefinition } from '../api/types.js';
import { initialValues, parseLabels, validateInputs } from './input-values.js';

const inputs: InputDefinition[] = [
  { id: 'name', type: 'STRING', required: true, minLength: 2 },
  { id: 'count', type: 'INT', defaults: 2, min: 1, max: 10 },
  { id: 'mode', type: 'ENUM', values: ['fast', 'slow'], defaults: 'fast' },
  { id: 'loud', type: 'BOOLEAN' },
  { id: 'when', type: 'DURATION' },
  { id: 'tags', type: 'ARRAY', itemType: 'INT' },
  { id: 'doc', type: 'JSON' },
];

describe('run form values', () => {
  it('starts from the defaults, in the widgets terms', () => {
    expect(initialValues(inputs)).toEqual({ name: '', count: 2, mode: 'fast', loud: false, when: '', tags: [], doc: '' });
    expect(initialValues([{ id: 'doc', type: 'JSON', defaults: { a: 1 } }]).doc).toBe('{\n  "a": 1\n}');
  });

  it('reports what the server would refuse before anything is sent', () => {
    const { errors } = validateInputs(inputs, { name: '', count: 11, mode: 'other', loud: false, when: '5 minutes', tags: ['1', 'x'], doc: '{' });
    expect(errors).toEqual({
      name: 'Required',
      count: 'the value must be at most 10',
      mode: 'one of fast, slow',
      when: 'an ISO-8601 duration such as PT30S, PT5M or P1DT2H',
      tags: 'item 2: a whole number such as 42',
      doc: 'valid JSON',
    });
    expect(validateInputs(inputs, { name: 'A' }).errors.name).toBe('at least 2 characters');
  });

  it('answers typed values and leaves empty optional fields to the flow defaults', () => {
    const { values, errors } = validateInputs(inputs, { name: 'Ada', count: '3', mode: 'slow', loud: true, when: 'PT5M', tags: ['1', '2'], doc: '{"a":[1]}' });
    expect(errors).toEqual({});
    expect(values).toEqual({ name: 'Ada', count: 3, mode: 'slow', loud: true, when: 'PT5M', tags: [1, 2], doc: { a: [1] } });
    expect(validateInputs(inputs, { name: 'Ada', count: '', mode: '', loud: false, when: '', tags: [], doc: '' }).values).toEqual({ name: 'Ada', loud: false });
  });

  it('SELECT, MULTISELECT and YAML inputs (Kestra types): checked like the server, custom or computed values left to it', () => {
    const kestra: InputDefinition[] = [
      { id: 'env', type: 'SELECT', values: ['dev', 'prod'], required: true },
      { id: 'free', type: 'SELECT', values: ['a'], allowCustomValue: true },
      { id: 'days', type: 'MULTISELECT', values: ['MON', 'TUE'], defaults: ['MON'] },
      { id: 'conf', type: 'YAML', defaults: { a: 1 } },
      { id: 'region', type: 'SELECT', expression: "{{ ['eu'] }}", required: true, dependsOn: { inputs: ['env'] } },
    ];
    expect(initialValues(kestra)).toEqual({ env: '', free: '', days: ['MON'], conf: '{\n  "a": 1\n}', region: '' });
    expect(validateInputs(kestra, { env: 'test', free: 'zzz', days: ['MON', 'SUN'], conf: 'a: 1', region: '' }).errors).toEqual({
      env: 'one of dev, prod',
      days: 'item 2: one of MON, TUE',
    });
    expect(validateInputs(kestra, { env: 'prod', free: 'zzz', days: ['TUE'], conf: 'a: 1', region: 'eu' })).toEqual({
      values: { env: 'prod', free: 'zzz', days: ['TUE'], conf: 'a: 1', region: 'eu' },
      errors: {},
    });
  });

  it('reads definitions as the API answers them (what a definition leaves out is null) like ones that omit it', () => {
    const none = { defaults: null, description: null, displayName: null, dependsOn: null, expression: null, allowCustomValue: null, isRadio: null, extension: null, secret: null, itemType: null, min: null, max: null, regex: null, minLength: null, maxLength: null };
    const answered: InputDefinition[] = [
      { ...none, id: 'env', type: 'SELECT', required: true, values: ['dev', 'prod'] },
      { ...none, id: 'name', type: 'STRING', required: true, minLength: 2 },
      { ...none, id: 'days', type: 'MULTISELECT', required: false, values: ['MON', 'TUE'] },
    ];
    expect(initialValues(answered)).toEqual({ env: '', name: '', days: [] });
    expect(validateInputs(answered, { env: 'test', name: 'Ada', days: ['SUN'] }).errors).toEqual({ env: 'one of dev, prod', days: 'item 1: one of MON, TUE' });
    expect(validateInputs(answered, { env: '', name: '', days: [] }).errors).toEqual({ env: 'Required', name: 'Required' });
    expect(validateInputs(answered, { env: 'dev', name: 'Ada', days: ['TUE'] })).toEqual({ values: { env: 'dev', name: 'Ada', days: ['TUE'] }, errors: {} });
  });

  it('reads labels as key=value', () => {
    expect(parseLabels(['team=data', 'env = prod'])).toEqual({ labels: { team: 'data', env: 'prod' } });
    expect(parseLabels(['oops']).error).toBe('"oops" is not key=value');
  });
});
