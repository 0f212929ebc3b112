import { DuplicateEventIdError, EventStoreError, EventStoreUnavailableError, StreamDeletedError, WrongExpectedVersionError } from '../errors.js';
import type { AppendRequest } from '../event-store.port.js';
import { STREAM_DELETED_SQLSTATE, WRONG_EXPECTED_VERSION_SQLSTATE } from './postgres-schema.js';

interface PgErrorFields {
  readonly code?: string;
  readonly detail?: string;
  readonly hint?: string;
  readonly constraint?: string;
  readonly message?: string;
}

/** Translates pg errors into the port's errors (the batch names the stream of a failed expectation). */
export function mapPgError(error: unknown, batch: readonly AppendRequest[]): Error {
  if (error instanceof EventStoreError) return error;
  const fields = (typeof error === 'object' && error !== null ? error : {}) as PgErrorFields;
  const code = fields.code ?? '';
  if (code === WRONG_EXPECTED_VERSION_SQLSTATE) {
    const request = batch[Number(fields.detail)];
    const actual = BigInt(fields.hint ?? '-1');
    if (request) return new WrongExpectedVersionError(request.streamId, request.expectedRevision, actual < 0n ? undefined : actual);
  }
  if (code === STREAM_DELETED_SQLSTATE) return new StreamDeletedError(fields.detail ?? 'unknown', { cause: error });
  if (code === '23505' && fields.constraint === 'events_event_id_key') {
    const id = /\(event_id\)=\(([^)]+)\)/.exec(fields.detail ?? '')?.[1] ?? 'unknown';
    return new DuplicateEventIdError(id, { cause: error });
  }
  // Connection failures (ECONNREFUSED...), class 08 (connection exception), 57P (shutdown).
  if (code.startsWith('E') || code.startsWith('08') || code.startsWith('57P') || /Connection terminated/i.test(fields.message ?? '')) {
    return new EventStoreUnavailableError(`Postgres is unavailable: ${fields.message ?? code}`, { cause: error });
  }
  return error instanceof Error ? error : new EventStoreError('EVENT_STORE_FAILED', String(error));
}
