import { describe, expect, it } from 'vitest';
import { EXECUTION_EVENT_SCHEMA_VERSION } from './execution.events.js';
import { UnknownSchemaVersionError, upcastExecutionEvent } from './execution.upcaster.js';

describe('upcastExecutionEvent', () => {
  it('returns v1 events as they are', () => {
    expect(EXECUTION_EVENT_SCHEMA_VERSION).toBe(1);
    expect(upcastExecutionEvent('ExecutionStarted', { at: 'x' }, 1)).toEqual({ type: 'ExecutionStarted', data: { at: 'x' } });
    expect(upcastExecutionEvent('ExecutionStarted', { at: 'x' })).toEqual({ type: 'ExecutionStarted', data: { at: 'x' } });
  });

  it('refuses events from a newer schema than this code knows', () => {
    expect(() => upcastExecutionEvent('ExecutionStarted', { at: 'x' }, 2)).toThrow(UnknownSchemaVersionError);
  });
});
