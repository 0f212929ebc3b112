/** The server's error categories (GraphQL `extensions.code`, REST `code`), plus the client's own. */
export type ChronicleErrorCode =
  | 'BAD_USER_INPUT' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'METHOD_NOT_ALLOWED' | 'CONFLICT' | 'PAYLOAD_TOO_LARGE'
  | 'TOO_MANY_REQUESTS' | 'INTERNAL_SERVER_ERROR' | 'BAD_WEBHOOK_RESPONSE' | 'SERVICE_UNAVAILABLE'
  /** The server could not be reached (after the retries). */
  | 'NETWORK_ERROR'
  /** startAndWait or a stream gave up waiting. */
  | 'TIMEOUT'
  | (string & {});

/** Codes worth another try: the same request may succeed a moment later. */
const RETRYABLE: ReadonlySet<string> = new Set(['SERVICE_UNAVAILABLE', 'TOO_MANY_REQUESTS', 'NETWORK_ERROR']);

/**
 * An error the server answered (with its code) or the network failed with. `code` is the
 * category; `reason` is the server's exact code (EXECUTION_NOT_FOUND, FLOW_INVALID...: the
 * list is docs/api-errors.md), absent for the client's own errors and older servers.
 */
export class ChronicleError extends Error {
  readonly retryable: boolean;

  constructor(
    readonly code: ChronicleErrorCode,
    message: string,
    readonly status?: number,
    readonly details?: Readonly<Record<string, unknown>>,
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'ChronicleError';
    this.retryable = RETRYABLE.has(code) || (status !== undefined && status >= 502 && status <= 504 && code !== 'BAD_WEBHOOK_RESPONSE');
  }
}

/** An execution (or other object) that does not exist, or not for this token. */
export class ChronicleNotFoundError extends ChronicleError {
  constructor(message: string, status?: number, details?: Readonly<Record<string, unknown>>, reason?: string) {
    super('NOT_FOUND', message, status, details, reason);
    this.name = 'ChronicleNotFoundError';
  }
}

/** A command that cannot apply to the execution in its state (kill a finished one...). */
export class ChronicleConflictError extends ChronicleError {
  constructor(message: string, status?: number, details?: Readonly<Record<string, unknown>>, reason?: string) {
    super('CONFLICT', message, status, details, reason);
    this.name = 'ChronicleConflictError';
  }
}

/** A bulk call that did nothing: `invalids` says which executions refused and why (Kestra's BulkErrorResponse). */
export class ChronicleBulkError extends ChronicleError {
  constructor(message: string, readonly invalids: readonly { readonly message: string; readonly invalidValue: string; readonly code: 'NOT_FOUND' | 'CONFLICT' }[], status?: number) {
    super('BAD_USER_INPUT', message, status, { invalids });
    this.name = 'ChronicleBulkError';
  }
}

/** The request is wrong (a flow, inputs, a parameter); `details` names what, when the server said. */
export class ChronicleBadInputError extends ChronicleError {
  constructor(message: string, status?: number, details?: Readonly<Record<string, unknown>>, reason?: string) {
    super('BAD_USER_INPUT', message, status, details, reason);
    this.name = 'ChronicleBadInputError';
  }
}

/** No valid token (UNAUTHENTICATED) or a token that may not do this (FORBIDDEN). */
export class ChronicleAccessError extends ChronicleError {
  constructor(code: 'UNAUTHENTICATED' | 'FORBIDDEN', message: string, status?: number, details?: Readonly<Record<string, unknown>>, reason?: string) {
    super(code, message, status, details, reason);
    this.name = 'ChronicleAccessError';
  }
}

/**
 * The typed error for a server answer, by its category code. `answer` is the REST `details` or
 * the GraphQL `extensions`; its `code` and `reason` are taken out of the details.
 */
export function toChronicleError(code: string, message: string, status?: number, answer?: Record<string, unknown>, reason?: string): ChronicleError {
  const { code: _code, reason: answered, ...rest } = answer ?? {};
  const why = reason ?? (typeof answered === 'string' ? answered : undefined);
  const details = Object.keys(rest).length > 0 ? rest : undefined;
  if (code === 'NOT_FOUND') return new ChronicleNotFoundError(message, status, details, why);
  if (code === 'CONFLICT') return new ChronicleConflictError(message, status, details, why);
  if (code === 'BAD_USER_INPUT') return new ChronicleBadInputError(message, status, details, why);
  if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN') return new ChronicleAccessError(code, message, status, details, why);
  return new ChronicleError(code, message, status, details, why);
}
