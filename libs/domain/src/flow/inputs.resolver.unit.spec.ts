import { describe, expect, it } from 'vitest';
import { parseFlow } from './flow.parser.js';
import { InputValidationError } from './input-validation.error.js';
import { resolveInputs } from './inputs.resolver.js';

const flow = parseFlow(`id: f
namespace: n
inputs:
  - id: name
    type: STRING
    defaults: World
  - id: count
    type: INT
  - id: verbose
    type: BOOLEAN
    defaults: false
  - id: note
    type: STRING
    required: false
tasks:
  - id: a
    type: Log
    message: x
`);

const failure = (raw: Record<string, unknown>): InputValidationError => {
  try {
    resolveInputs(flow, raw);
  } catch (error) {
    if (error instanceof InputValidationError) return error;
    throw error;
  }
  throw new Error('expected InputValidationError');
};

describe('resolveInputs', () => {
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
    expect(resolveInputs(flow, { count: '3', verbose: 'false' })).toMatchObject({ count: 3, verbose: false });
  });

  it('reports every bad input by name in one error', () => {
    const error = failure({ verbose: 'yes', name: { nested: true } });
    expect(error.code).toBe('EXECUTION.INVALID_INPUTS');
    expect(error.issues).toEqual([
      { input: 'name', message: 'expected STRING, got object {"nested":true}' },
      { input: 'count', message: 'required input is missing (INT)' },
      { input: 'verbose', message: 'expected BOOLEAN, got string "yes"' },
    ]);
    expect(error.message).toBe(
      'invalid inputs: name: expected STRING, got object {"nested":true}; count: required input is missing (INT); verbose: expected BOOLEAN, got string "yes"',
    );
  });

  it('rejects non-integer numbers and text for INT', () => {
    expect(failure({ count: 1.5 }).issues).toEqual([{ input: 'count', message: 'expected INT, got number 1.5' }]);
    expect(failure({ count: '1e3' }).issues).toEqual([{ input: 'count', message: 'expected INT, got string "1e3"' }]);
  });
});
