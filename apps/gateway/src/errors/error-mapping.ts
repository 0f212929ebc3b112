import { ApiError, type ApiErrorCode } from './api-errors.js';

export interface MappedError {
  readonly code: ApiErrorCode;
  readonly message: string;
  readonly details?: Record<string, unknown>;
}

/**
 * Maps any error to the API vocabulary by its stable domain/application code. Unknown
 * errors become INTERNAL_SERVER_ERROR with a generic message: no stack, no SQL leaks.
 */
export function mapError(error: unknown): MappedError {
  if (error instanceof ApiError) return { code: error.apiCode, message: error.message, details: error.details };
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : '';
  const message = (error as Error)?.message ?? String(error);
  const issues = (error as { issues?: unknown } | null | undefined)?.issues;
  const details = Array.isArray(issues) ? { issues } : undefined;
  // `.NOT_FOUND` and compound ones such as `EXECUTION.TASK_RUN_NOT_FOUND`.
  if (/[._]NOT_FOUND$/.test(code)) return { code: 'NOT_FOUND', message };
  if (code.endsWith('.INVALID') || code.endsWith('.INVALID_CURSOR') || code.endsWith('.INVALID_INPUTS') || code === 'EXPRESSION.INVALID') return { code: 'BAD_USER_INPUT', message, details };
  if (code.endsWith('.ILLEGAL_TRANSITION') || code.endsWith('.WRONG_EXPECTED_VERSION') || code === 'FLOW.DISABLED') return { code: 'CONFLICT', message };
  if (code === 'EVENT_STORE.UNAVAILABLE') return { code: 'SERVICE_UNAVAILABLE', message: 'the event store is unavailable; retry shortly' };
  if (isUnavailable(error)) return { code: 'SERVICE_UNAVAILABLE', message: 'a server Chronicle depends on (Postgres or Kafka) is unreachable; retry shortly' };
  return { code: 'INTERNAL_SERVER_ERROR', message: 'internal error; the server log has the details' };
}

/** Seconds a client should wait before retrying a SERVICE_UNAVAILABLE answer (`Retry-After`). */
export const RETRY_AFTER_SECONDS = 2;

/**
 * True for an error that says a server is unreachable rather than that the request is wrong:
 * Postgres refusing or dropping connections (node's E* codes, SQLSTATE class 08, 57P shutdown
 * codes, a pool or client that lost its connection) and kafkajs connection errors, also when
 * wrapped (TypeORM's QueryFailedError keeps the driver error; other wrappers keep `cause`).
 */
export function isUnavailable(error: unknown): boolean {
  for (let e = error as Record<string, unknown> | undefined, depth = 0; e && typeof e === 'object' && depth < 6; depth++) {
    const code = typeof e.code === 'string' ? e.code : '';
    const message = typeof e.message === 'string' ? e.message : '';
    const name = typeof e.name === 'string' ? e.name : '';
    if (code === 'EVENT_STORE.UNAVAILABLE' || /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EPIPE)$/.test(code) || code.startsWith('08') || code.startsWith('57P')) return true;
    if (/Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(message)) return true;
    if (/^KafkaJS(Connection|ConnectionClosed|NumberOfRetriesExceeded|RequestTimeout)Error$/.test(name)) return true;
    e = (e.driverError ?? e.cause) as Record<string, unknown> | undefined;
  }
  return false;
}
