import { CodedError } from '@chronicle/errors';
import { EXECUTION_EVENT_SCHEMA_VERSION, type ExecutionEvent } from './execution.events.js';

/** An event written by a newer schema than this code knows (a rollback after an upgrade). */
export class UnknownSchemaVersionError extends CodedError {
  constructor(
    readonly eventType: string,
    readonly schemaVersion: number,
  ) {
    super('EVENT_SCHEMA_VERSION_UNKNOWN', `${eventType} has schema version ${schemaVersion}; this code reads up to ${EXECUTION_EVENT_SCHEMA_VERSION}`);
  }
}

type Upcaster = (type: string, data: unknown) => unknown;

/**
 * v1 -> v2: ChildExecutionRequested's `revision` became `flowRevision`. Every other event
 * kept its v1 shape. A v1 event already carrying `flowRevision` is left as it is.
 */
const v1ToV2: Upcaster = (type, data) => {
  if (type !== 'ChildExecutionRequested' || data === null || typeof data !== 'object' || !('revision' in data)) return data;
  const { revision, ...rest } = data as { revision?: unknown } & Record<string, unknown>;
  return 'flowRevision' in rest || revision === undefined ? rest : { ...rest, flowRevision: revision };
};

/** UPCASTERS[n] turns version n+1 into version n+2; they run in order from the stored version. */
const UPCASTERS: readonly Upcaster[] = [v1ToV2];

/**
 * Brings a stored event's data to the current shape, so `evolve`, the projection and the
 * history API only ever see the latest version. Every read path calls it (through
 * `toDomainEvent` in the application): `schemaVersion` is `metadata.schemaVersion`, 1 when absent.
 * A new version adds its upcaster to UPCASTERS and bumps EXECUTION_EVENT_SCHEMA_VERSION.
 */
export const upcastExecutionEvent = (type: string, data: unknown, schemaVersion = 1): ExecutionEvent => {
  if (schemaVersion > EXECUTION_EVENT_SCHEMA_VERSION) throw new UnknownSchemaVersionError(type, schemaVersion);
  let upcast = data;
  for (let version = Math.max(1, schemaVersion); version < EXECUTION_EVENT_SCHEMA_VERSION; version++) upcast = UPCASTERS[version - 1]!(type, upcast);
  return { type, data: upcast } as ExecutionEvent;
};
