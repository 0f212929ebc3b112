export { ERROR_CODES, ERROR_KINDS, errorKind, isErrorCode, type ErrorCode, type ErrorKind } from './error-codes.js';
export { CodedError, errorCodeOf, isRefusal, type CodedErrorOptions } from './coded-error.js';
