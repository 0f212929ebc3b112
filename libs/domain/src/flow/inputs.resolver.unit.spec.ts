import { describe, expect, it } from 'vitest';
import { parseFlow } from './flow.parser.js';
import { FlowValidationError } from './flow-validation.error.js';
import { InputValidationError } from './input-validation.error.js';
import { maskSecrets, resolveInputs } from './inputs.resolver.js';
import { ruleViolations } from './input-rules.js';
import { CORE_TASK_CATALOG } from '../task-types/core-task-catalog.js';

const flowWith = (inputs: string) => parseFlow(`id: f\nnamespace: n\ninputs:\n${inputs}\ntasks:\n  - id: a\n    type: Log\n    message: x\n`, CORE_TASK_CATALOG);

const flow = flowWith(`  - id: name
    type: STRING
    defaults: World
  - id: count
    type: INT
  - id: verbose
    type: BOOLEAN
    defaults: false
  - id: note
    type: STRING
    required: false`);

const failure = (run: () => unknown): InputValidationError => {
  try {
    run();
  } catch (error) {
    if (error instanceof InputValidationError) return error;
    throw error;
  }
  throw new Error('expected InputValidationError');
};

const flowIssues = (inputs: string): string[] => {
  try {
    flowWith(inputs);
  } catch (error) {
    if (error instanceof FlowValidationError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  throw new Error('expected FlowValidationError');
};

describe('resolveInputs (typed)', () => {
  it('applies defaults, sets absent optional inputs to null and drops undeclared ones', () => {
    expect(resolveInputs(flow, { count: 2, extra: 'ignored' })).toEqual({ name: 'World', count: 2, verbose: false, note: null });
  });

  it('coerces text from forms and query strings', () => {
    expect(resolveInputs(flow, { name: 42, count: ' -7 ', verbose: 'TRUE', note: true })).toEqual({
      name: '42',
      count: -7,
      verbose: true,
      note: 'true',
    });
  });

  it('reports every bad input by name, with what to fix, in one error', () => {
    const error = failure(() => resolveInputs(flow, { verbose: 'yes', name: { nested: true } }));
    expect(error.code).toBe('INPUTS_INVALID');
    expect(error.issues).toEqual([
      { input: 'name', message: 'expected STRING (text), got object {"nested":true}' },
      { input: 'count', message: 'required input is missing (INT)' },
      { input: 'verbose', message: 'expected BOOLEAN (true or false), got string "yes"' },
    ]);
    expect(error.message).toBe(
      'invalid inputs: name: expected STRING (text), got object {"nested":true}; count: required input is missing (INT); ' +
        'verbose: expected BOOLEAN (true or false), got string "yes"',
    );
  });

  it('checks min, max, regex (and Kestra\'s validator), minLength and maxLength', () => {
    const ruled = flowWith(`  - id: age
    type: INT
    min: 18
    max: 130
  - id: ratio
    type: FLOAT
    max: 1
  - id: wait
    type: DURATION
    min: PT1M
    max: PT1H
  - id: day
    type: DATE
    min: "2025-01-01"
  - id: at
    type: DATETIME
    max: "2025-01-01T00:00:00+01:00"
  - id: opens
    type: TIME
    min: "08:00"
  - id: tags
    type: ARRAY
    itemType: STRING
    min: 1
    max: 2
  - id: code
    type: STRING
    regex: "[A-Z]{3}"
  - name: legacy
    type: STRING
    validator: "\\\\d+"
  - id: pin
    type: SECRET
    minLength: 4
    maxLength: 6`);
    const good = {
      age: '18', ratio: '0.5', wait: 'PT5M', day: '2025-06-01', at: '2024-12-31T23:00:00Z', opens: '08:00',
      tags: '["a"]', code: 'ABC', legacy: '123', pin: '1234',
    };
    expect(resolveInputs(ruled, good)).toEqual({
      ...good, age: 18, ratio: 0.5, at: '2024-12-31T23:00:00Z', tags: ['a'],
    });
    const error = failure(() =>
      resolveInputs(ruled, {
        age: 17, ratio: 1.5, wait: 'PT2H', day: '2024-12-31', at: '2025-01-01T00:00:00Z', opens: '07:59',
        tags: ['a', 'b', 'c'], code: 'ABCD', legacy: '12a', pin: '12',
      }),
    );
    expect(error.issues).toEqual([
      { input: 'age', message: 'must be at least 18, got 17' },
      { input: 'ratio', message: 'must be at most 1, got 1.5' },
      { input: 'wait', message: 'must be at most PT1H, got "PT2H"' },
      { input: 'day', message: 'must be at least 2025-01-01, got "2024-12-31"' },
      { input: 'at', message: 'must be at most 2024-12-31T23:00:00Z, got "2025-01-01T00:00:00Z"' },
      { input: 'opens', message: 'must be at least 08:00, got "07:59"' },
      { input: 'tags', message: 'must have at most 2 items, got 3' },
      { input: 'code', message: 'must match the pattern [A-Z]{3}' },
      { input: 'legacy', message: 'must match the pattern \\d+' },
      { input: 'pin', message: 'must be at least 4 characters long, got 2' },
    ]);
    expect(failure(() => resolveInputs(ruled, { ...good, tags: [] })).issues).toEqual([
      { input: 'tags', message: 'must have at least 1 item, got 0' },
    ]);
  });

  it('covers every type in one flow', () => {
    const all = flowWith(`  - { id: s, type: STRING }
  - { id: i, type: INT }
  - { id: f, type: FLOAT }
  - { id: b, type: BOOLEAN }
  - { id: dt, type: DATETIME }
  - { id: d, type: DATE }
  - { id: t, type: TIME }
  - { id: du, type: DURATION }
  - { id: j, type: JSON }
  - { id: e, type: ENUM, values: [A, B] }
  - { id: sel, type: SELECT, values: [X] }
  - { id: a, type: ARRAY, itemType: FLOAT }
  - { id: u, type: URI }
  - { id: m, type: EMAIL }
  - { id: sec, type: SECRET }
  - { id: file, type: FILE }`);
    expect(
      resolveInputs(all, {
        s: 'x', i: '1', f: '2.5', b: 'false', dt: '2025-01-31T10:00:00+01:00', d: '2025-01-31', t: '10:00', du: 'PT1S',
        j: '{"k":null}', e: 'B', sel: 'X', a: '[1, 2.5]', u: 'https://x.io', m: 'a@b.io', sec: 'pw', file: 'chronicle:///files/abc',
      }),
    ).toEqual({
      s: 'x', i: 1, f: 2.5, b: false, dt: '2025-01-31T09:00:00Z', d: '2025-01-31', t: '10:00', du: 'PT1S',
      j: { k: null }, e: 'B', sel: 'X', a: [1, 2.5], u: 'https://x.io', m: 'a@b.io', sec: 'pw', file: 'chronicle:///files/abc',
    });
    expect(all.inputs.find((i) => i.id === 'sel')).toMatchObject({ type: 'SELECT', values: ['X'] });
    expect(all.inputs.find((i) => i.id === 'sec')).toMatchObject({ type: 'SECRET', secret: true });
  });
});

describe('resolveInputs (untyped, Kestra raw inputs)', () => {
  it('passes values through untouched, keeps undeclared ones, requires nothing, still applies defaults', () => {
    expect(resolveInputs(flow, { count: 'not a number', verbose: 1, other: [1] }, { typed: false })).toEqual({
      name: 'World',
      count: 'not a number',
      verbose: 1,
      other: [1],
    });
    expect(resolveInputs(flow, {}, { typed: false })).toEqual({ name: 'World', verbose: false });
  });

  it('keeps a "__proto__" key as data', () => {
    const inputs = resolveInputs(flow, JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>, { typed: false });
    expect(Object.getPrototypeOf(inputs)).toBe(Object.prototype);
    expect(Object.hasOwn(inputs, '__proto__')).toBe(true);
  });
});

describe('maskSecrets', () => {
  it('replaces the values of SECRET inputs, and only those', () => {
    const secretFlow = flowWith(`  - { id: user, type: STRING }
  - { id: password, type: SECRET }
  - { id: token, type: SECRET, required: false }`);
    const inputs = resolveInputs(secretFlow, { user: 'ada', password: 'hunter2' });
    expect(inputs).toEqual({ user: 'ada', password: 'hunter2', token: null });
    expect(maskSecrets(secretFlow, inputs)).toEqual({ user: 'ada', password: '******', token: null });
  });
});

describe('input definitions', () => {
  it('type-checks and normalises defaults', () => {
    const parsed = flowWith(`  - { id: when, type: DATETIME, defaults: "2025-01-31T12:00:00+02:00" }
  - { id: conf, type: JSON, defaults: '{"a": 1}' }
  - { id: n, type: INT, defaults: 5, min: 1 }`);
    expect(parsed.inputs.map((i) => i.defaults)).toEqual(['2025-01-31T10:00:00Z', { a: 1 }, 5]);
    // Kestra's Input.required defaults to true; the default fills a missing value.
    expect(parsed.inputs.every((i) => i.required)).toBe(true);
  });

  it('reports misplaced or malformed rules and shapes, all at once', () => {
    expect(
      flowIssues(`  - { id: a, type: BOOLEAN, min: 1 }
  - { id: b, type: INT, regex: "x" }
  - { id: c, type: STRING, regex: "(" }
  - { id: d, type: ARRAY }
  - { id: e, type: ENUM }
  - { id: f, type: DURATION, max: 10 }
  - { id: g, type: INT, defaults: 0, min: 1 }
  - { id: h, type: STRING, values: [x] }
  - { id: i, type: ARRAY, itemType: ARRAY }`),
    ).toEqual([
      'inputs[0].min: unknown property "min" of an input of type BOOLEAN (it takes id, name, type, description, dependsOn, required, defaults, displayName)',
      'inputs[1].regex: unknown property "regex" of an input of type INT (it takes id, name, type, description, dependsOn, required, defaults, displayName, min, max)',
      'inputs[2].regex: regex: invalid regular expression "(": error parsing regexp: missing closing ): `(` (regular expressions run on RE2: no backreferences or lookarounds)',
      'inputs[3]: required property "itemType" is missing (the type of the items)',
      'inputs[4]: an ENUM needs "values": a non-empty list of the allowed values',
      'inputs[5].max: must be a DURATION bound, got number 10',
      'inputs[6].defaults: invalid default: must be at least 1, got 0',
      'inputs[7].values: unknown property "values" of an input of type STRING (it takes id, name, type, description, dependsOn, required, defaults, displayName, validator, regex, minLength, maxLength)',
      'inputs[8].itemType: an ARRAY cannot hold ARRAYs',
    ]);
  });

  it('checks a flow author\'s pattern on RE2: a backtracking pattern is linear in the value, a backreference is refused at deploy', () => {
    expect(flowIssues(`  - { id: s, type: STRING, regex: "(a)\\\\1" }`)).toEqual([
      'inputs[0].regex: regex: invalid regular expression "(a)\\1": error parsing regexp: invalid escape sequence: `\\1` (regular expressions run on RE2: no backreferences or lookarounds)',
    ]);
    // On a backtracking engine `(a+)+` against 40 a's and a b takes 2^40 steps: the process that checks inputs stalls.
    const parsed = parseFlow(`id: f\nnamespace: n\ninputs:\n  - { id: s, type: STRING, validator: "(a+)+" }\ntasks:\n  - { id: t, type: Log, message: x }\n`, CORE_TASK_CATALOG, 1);
    const input = parsed.inputs[0]!;
    expect(ruleViolations(input, `${'a'.repeat(40)}b`)).toEqual(['must match the pattern (a+)+']);
    expect(ruleViolations(input, 'a'.repeat(40))).toEqual([]);
  });
});
