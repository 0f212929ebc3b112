/** The server's error codes (GraphQL `extensions.code`, REST `code`), plus the client's own. */
export type ChronicleErrorCode =
  | 'BAD_USER_INPUT' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'METHOD_NOT_ALLOWED' | 'CONFLICT' | 'PAYLOAD_TOO_LARGE'
  | 'TOO_MANY_REQUESTS' | 'INTERNAL_SERVER_ERROR' | 'SERVICE_UNAVAILABLE'
  /** The server could not be reached (after the retries). */
  | 'NETWORK_ERROR'
  /** startAndWait or a stream gave up waiting. */
  | 'TIMEOUT'
  | (string & {});

/** Codes worth another try: the same request may succeed a moment later. */
const RETRYABLE: ReadonlySet<string> = new Set(['SERVICE_UNAVAILABLE', 'TOO_MANY_REQUESTS', 'NETWORK_ERROR']);

/** An error the server answered (with its code) or the network failed with. */
export class ChronicleError extends Error {
  readonly retryable: boolean;

  constructor(
    readonly code: ChronicleErrorCode,
    message: string,
    readonly status?: number,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'ChronicleError';
    this.retryable = RETRYABLE.has(code) || (status !== undefined && status >= 502 && status <= 504);
  }
}

/** An execution (or other object) that does not exist, or not for this token. */
export class ChronicleNotFoundError extends ChronicleError {
  constructor(message: string, status?: number) {
    super('NOT_FOUND', message, status);
    this.name = 'ChronicleNotFoundError';
  }
}

/** A command that cannot apply to the execution in its state (kill a finished one...). */
export class ChronicleConflictError extends ChronicleError {
  constructor(message: string, status?: number, details?: Readonly<Record<string, unknown>>) {
    super('CONFLICT', message, status, details);
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

/** The typed error for a server answer. */
export function toChronicleError(code: string, message: string, status?: number, details?: Record<string, unknown>): ChronicleError {
  if (code === 'NOT_FOUND') return new ChronicleNotFoundError(message, status);
  if (code === 'CONFLICT') return new ChronicleConflictError(message, status, details);
  return new ChronicleError(code, message, status, details);
}
