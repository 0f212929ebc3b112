import { errorKind, isErrorCode, type ErrorCode, type ErrorKind } from './error-codes.js';

export interface CodedErrorOptions {
  readonly cause?: unknown;
  /** Machine-readable facts a caller can act on (the API answers them as `details`). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * The one base of Chronicle's errors, in every layer. `code` is stable and is what every layer
 * maps by (HTTP status, GraphQL `extensions.code`, CLI exit code, the client's typed errors);
 * the message is for people and may change. The class name is never looked at.
 */
export class CodedError extends Error {
  readonly details?: Readonly<Record<string, unknown>>;

  constructor(readonly code: ErrorCode, message: string, options: CodedErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    if (options.details) this.details = options.details;
  }
}

/**
 * The Chronicle code of any thrown value, by its `code` field rather than `instanceof`: a value
 * that crossed a module copy (source and dist in one process) or a plain `{ code, message }` still
 * maps. Undefined for errors that are not Chronicle's (node's `ECONNREFUSED`, SQLSTATEs...).
 */
export function errorCodeOf(error: unknown): ErrorCode | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return isErrorCode(code) ? code : undefined;
}

const PASSING: ReadonlySet<ErrorKind> = new Set(['transient', 'fault']);

/**
 * True when the error is Chronicle's answer that this request can never succeed as it is
 * (invalid, unknown, not allowed in its state, unreadable data): reject it, do not retry it.
 * False for a passing failure (a server down, a lost race) and for anything not Chronicle's,
 * which the caller retries or lets crash.
 */
export function isRefusal(error: unknown): error is { readonly code: ErrorCode; readonly message: string } {
  const code = errorCodeOf(error);
  return code !== undefined && !PASSING.has(errorKind(code));
}
