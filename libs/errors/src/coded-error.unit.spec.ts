import { describe, expect, it } from 'vitest';
import { CodedError, ERROR_CODES, errorCodeOf, isErrorCode, isRefusal } from './index.js';

describe('CodedError', () => {
  it('carries its code, message, cause and details, and is named after its subclass', () => {
    class ThingNotFound extends CodedError {
      constructor() {
        super('FLOW_NOT_FOUND', 'no such flow', { details: { flowId: 'x' }, cause: new Error('root') });
      }
    }
    const error = new ThingNotFound();
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: 'FLOW_NOT_FOUND', message: 'no such flow', name: 'ThingNotFound', details: { flowId: 'x' } });
    expect((error.cause as Error).message).toBe('root');
  });

  it('reads a code by its field, and only Chronicle codes', () => {
    expect(errorCodeOf(new CodedError('CURSOR_INVALID', 'bad cursor'))).toBe('CURSOR_INVALID');
    expect(errorCodeOf({ code: 'EXECUTION_NOT_FOUND', message: 'plain object' })).toBe('EXECUTION_NOT_FOUND');
    for (const foreign of [Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), { code: '23505' }, { code: 42 }, null, undefined, 'FLOW_INVALID']) {
      expect(errorCodeOf(foreign)).toBeUndefined();
    }
  });

  it('lists each code once, in SCREAMING_SNAKE_CASE', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    for (const code of ERROR_CODES) {
      expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
      expect(isErrorCode(code)).toBe(true);
    }
  });

  it('tells a refusal (never retry) from a passing failure or a foreign error (retry or crash)', () => {
    for (const code of ['FLOW_INVALID', 'EXECUTION_NOT_FOUND', 'FLOW_DISABLED', 'ILLEGAL_TRANSITION', 'UNEXPECTED_EVENT', 'SUBFLOW_NAMESPACE_FORBIDDEN'] as const) {
      expect(isRefusal(new CodedError(code, code))).toBe(true);
    }
    for (const error of [new CodedError('EVENT_STORE_UNAVAILABLE', 'down'), new CodedError('WRONG_EXPECTED_VERSION', 'race'), new CodedError('EVENT_STORE_CLOSED', 'closed'), new Error('boom'), { code: 'ECONNRESET' }]) {
      expect(isRefusal(error)).toBe(false);
    }
  });
});
