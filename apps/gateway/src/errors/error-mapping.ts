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
  return { code: 'INTERNAL_SERVER_ERROR', message: 'internal error; the server log has the details' };
}
