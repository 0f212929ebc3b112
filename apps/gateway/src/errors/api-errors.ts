import { CodedError } from '@chronicle/errors';

/**
 * The API's error categories: GraphQL `extensions.code` and REST `code`, each with its HTTP
 * status. The finer Chronicle code rides beside it as `reason` (api-error-codes.ts maps one to
 * the other); docs/api-errors.md lists both.
 */
export const API_ERROR_STATUS = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  TOO_MANY_REQUESTS: 429,
  INTERNAL_SERVER_ERROR: 500,
  /** A webhook's flow shaped its answer wrongly (`returnOutputs`): the gateway could not answer for it. */
  BAD_WEBHOOK_RESPONSE: 502,
  SERVICE_UNAVAILABLE: 503,
} as const;
export type ApiErrorCode = keyof typeof API_ERROR_STATUS;

/** No (or an unknown) API token. */
export class UnauthenticatedError extends CodedError {
  constructor() {
    super('UNAUTHENTICATED', 'missing or unknown API token: send `Authorization: Bearer <token>`');
  }
}

/** The token's role or namespaces do not allow the call. */
export class ForbiddenError extends CodedError {
  constructor(message: string) {
    super('FORBIDDEN', message);
  }
}

/** A request parameter, header or body the API cannot take; the message names it. */
export class BadUserInputError extends CodedError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('REQUEST_INVALID', message, { details });
  }
}

/** `GET /api/v1/namespaces/{ns}/kv/{key}` of a key without a value (absent or expired). */
export class KvKeyNotFoundError extends CodedError {
  constructor(message: string) {
    super('KV_KEY_NOT_FOUND', message);
  }
}
