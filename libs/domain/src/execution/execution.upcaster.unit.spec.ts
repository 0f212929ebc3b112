import { describe, expect, it } from 'vitest';
import { EXECUTION_EVENT_SCHEMA_VERSION } from './execution.events.js';
import { UnknownSchemaVersionError, upcastExecutionEvent } from './execution.upcaster.js';

const childRequestedV1 = {
  childExecutionId: 'c1', taskRunId: 'p.0', attempt: 1, namespace: 'n', flowId: 'child', revision: 3,
  inputs: {}, labels: {}, trigger: {}, wait: true, transmitFailed: false, at: 'x',
};

describe('upcastExecutionEvent', () => {
  it('is at schema version 2', () => {
    expect(EXECUTION_EVENT_SCHEMA_VERSION).toBe(2);
  });

  it('returns events whose shape did not change as they are, from v1 and v2 alike', () => {
    expect(upcastExecutionEvent('ExecutionStarted', { at: 'x' }, 1)).toEqual({ type: 'ExecutionStarted', data: { at: 'x' } });
    expect(upcastExecutionEvent('ExecutionStarted', { at: 'x' })).toEqual({ type: 'ExecutionStarted', data: { at: 'x' } });
    expect(upcastExecutionEvent('ExecutionStarted', { at: 'x' }, 2)).toEqual({ type: 'ExecutionStarted', data: { at: 'x' } });
  });

  it('renames a v1 ChildExecutionRequested `revision` to `flowRevision`', () => {
    const { revision: _revision, ...rest } = childRequestedV1;
    expect(upcastExecutionEvent('ChildExecutionRequested', childRequestedV1, 1)).toEqual({ type: 'ChildExecutionRequested', data: { ...rest, flowRevision: 3 } });
    // Without metadata.schemaVersion an event is v1.
    expect(upcastExecutionEvent('ChildExecutionRequested', childRequestedV1).data).toEqual({ ...rest, flowRevision: 3 });
  });

  it('leaves a v1 ChildExecutionRequested without revision, and any v2 one, untouched', () => {
    const { revision: _revision, ...latest } = childRequestedV1;
    expect(upcastExecutionEvent('ChildExecutionRequested', latest, 1).data).toEqual(latest);
    const v2 = { ...latest, flowRevision: 4 };
    expect(upcastExecutionEvent('ChildExecutionRequested', v2, 2).data).toEqual(v2);
  });

  it('refuses events from a newer schema than this code knows', () => {
    expect(() => upcastExecutionEvent('ExecutionStarted', { at: 'x' }, 3)).toThrow(UnknownSchemaVersionError);
  });
});
