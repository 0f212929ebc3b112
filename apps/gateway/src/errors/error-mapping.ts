import { errorCodeOf, type ErrorCode } from '@chronicle/errors';
import { API_ERROR_OF } from './api-error-codes.js';
import type { ApiErrorCode } from './api-errors.js';

export interface MappedError {
  /** The category: GraphQL `extensions.code`, REST `code`, and through it the HTTP status. */
  readonly code: ApiErrorCode;
  /** The Chronicle code (docs/api-errors.md): what exactly went wrong, for programs. */
  readonly reason: ErrorCode;
  readonly message: string;
  readonly details?: Record<string, unknown>;
}

const INTERNAL_MESSAGE = 'internal error; the server log has the details';
const UNREACHABLE_MESSAGE = 'a server Chronicle depends on (Postgres or Kafka) is unreachable; retry shortly';

/**
 * Maps any error to the API by its stable Chronicle code (never by its class or message).
 * Server faults and errors that are not Chronicle's become INTERNAL_SERVER_ERROR with a generic
 * message: no stack, no SQL, no host names leak. An unreachable Postgres or Kafka, also when
 * wrapped by a driver, is SERVICE_UNAVAILABLE.
 */
export function mapError(error: unknown): MappedError {
  const reason = errorCodeOf(error);
  const code = reason === undefined ? undefined : API_ERROR_OF[reason];
  if (reason === 'EVENT_STORE_UNAVAILABLE') return { code: 'SERVICE_UNAVAILABLE', reason, message: 'the event store is unavailable; retry shortly' };
  if (reason === 'DEPENDENCY_UNREACHABLE') return { code: 'SERVICE_UNAVAILABLE', reason, message: UNREACHABLE_MESSAGE };
  if (reason !== undefined && code !== undefined && code !== 'INTERNAL_SERVER_ERROR') {
    return { code, reason, message: (error as Error).message ?? String(error), ...detailsOf(error) };
  }
  if (isUnavailable(error)) return { code: 'SERVICE_UNAVAILABLE', reason: 'DEPENDENCY_UNREACHABLE', message: UNREACHABLE_MESSAGE };
  return { code: 'INTERNAL_SERVER_ERROR', reason: 'INTERNAL', message: INTERNAL_MESSAGE };
}

/** An answer the gateway gives itself (a body too large, a rate limit): the same table decides its category. */
export function apiError(reason: ErrorCode, message: string, details?: Record<string, unknown>): MappedError {
  return { code: API_ERROR_OF[reason], reason, message, ...(details ? { details } : {}) };
}

/** The REST body of an error: the category `code`, the Chronicle `reason`, the message, the details if any. */
export function errorBody(mapped: MappedError): Record<string, unknown> {
  return { code: mapped.code, reason: mapped.reason, message: mapped.message, ...(mapped.details ? { details: mapped.details } : {}) };
}

/** `details` as given, or the `issues` list of a validation error (flow, inputs, run options, configuration). */
function detailsOf(error: unknown): { details?: Record<string, unknown> } {
  const { details, issues } = (error ?? {}) as { details?: Record<string, unknown>; issues?: unknown };
  if (details) return { details };
  return Array.isArray(issues) ? { details: { issues } } : {};
}

/** Seconds a client should wait before retrying a SERVICE_UNAVAILABLE answer (`Retry-After`). */
export const RETRY_AFTER_SECONDS = 2;

/**
 * True for an error that says a server is unreachable rather than that the request is wrong:
 * Postgres refusing or dropping connections (node's E* codes, SQLSTATE class 08, 57P shutdown
 * codes, a pool or client that lost its connection) and kafkajs connection errors, also when
 * wrapped (TypeORM's QueryFailedError keeps the driver error; other wrappers keep `cause`).
 * These are other libraries' errors, so they are recognised by their own codes and names.
 */
export function isUnavailable(error: unknown): boolean {
  for (let e = error as Record<string, unknown> | undefined, depth = 0; e && typeof e === 'object' && depth < 6; depth++) {
    const code = typeof e.code === 'string' ? e.code : '';
    const message = typeof e.message === 'string' ? e.message : '';
    const name = typeof e.name === 'string' ? e.name : '';
    if (code === 'EVENT_STORE_UNAVAILABLE' || code === 'DEPENDENCY_UNREACHABLE' || /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EPIPE)$/.test(code) || code.startsWith('08') || code.startsWith('57P')) return true;
    if (/Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(message)) return true;
    if (/^KafkaJS(Connection|ConnectionClosed|NumberOfRetriesExceeded|RequestTimeout)Error$/.test(name)) return true;
    e = (e.driverError ?? e.cause) as Record<string, unknown> | undefined;
  }
  return false;
}
