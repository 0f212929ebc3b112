import { DomainError } from '../shared/domain-error.js';
import { EXECUTION_EVENT_SCHEMA_VERSION, type ExecutionEvent } from './execution.events.js';

/** An event written by a newer schema than this code knows (a rollback after an upgrade). */
export class UnknownSchemaVersionError extends DomainError {
  readonly code = 'EXECUTION.UNKNOWN_SCHEMA_VERSION';

  constructor(
    readonly eventType: string,
    readonly schemaVersion: number,
  ) {
    super(`${eventType} has schema version ${schemaVersion}; this code reads up to ${EXECUTION_EVENT_SCHEMA_VERSION}`);
  }
}

/**
 * Brings a stored event's data to the current shape, so `evolve` only ever sees the latest
 * version. Adapters call it when reading (`metadata.schemaVersion`, 1 when absent). v1 is the
 * first version: identity. A v2 adds `if (schemaVersion < 2) data = v1ToV2(type, data)` here.
 */
export const upcastExecutionEvent = (type: string, data: unknown, schemaVersion = 1): ExecutionEvent => {
  if (schemaVersion > EXECUTION_EVENT_SCHEMA_VERSION) throw new UnknownSchemaVersionError(type, schemaVersion);
  return { type, data } as ExecutionEvent;
};
