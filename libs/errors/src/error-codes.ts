/**
 * What kind of failure a code is, for the code that decides what to do next without knowing
 * the error: a refusal (the same request can never succeed: do not retry, reject or dead-letter
 * it) or a passing failure (retry), or a fault of the server itself.
 */
export type ErrorKind =
  /** The input (a flow, inputs, a parameter, a message) is wrong. */
  | 'invalid'
  | 'not-found'
  /** The target's state does not allow it (a finished execution, a disabled flow). */
  | 'conflict'
  | 'unauthenticated'
  | 'forbidden'
  /** Over a size or rate limit. */
  | 'limit'
  /** Stored data this code cannot read (a corrupt stream, a newer schema): retrying does not help. */
  | 'inconsistent'
  /** A server is unreachable, a race was lost, a wait ran out: the same request may succeed later. */
  | 'transient'
  /** A bug or a misconfiguration of the server; nothing the caller did. */
  | 'fault'
  /** A task failed while it ran: the task run fails with the message. */
  | 'task';

/**
 * Every stable machine code a Chronicle error carries, grouped by the package that throws it,
 * with its kind. A code never changes once published: the gateway maps each one to an HTTP
 * status and a GraphQL `extensions.code` (apps/gateway/src/errors/api-error-codes.ts, exhaustive
 * over this table, so a new code does not compile until it is mapped), and docs/api-errors.md
 * documents the ones the API answers with (a test compares the two).
 */
export const ERROR_KINDS = {
  // The domain: flows, inputs, expressions, the execution state machine.
  FLOW_INVALID: 'invalid',
  INPUTS_INVALID: 'invalid',
  EXPRESSION_INVALID: 'invalid',
  RUN_OPTION_INVALID: 'invalid',
  BREAKPOINT_INVALID: 'invalid',
  REWIND_INVALID: 'invalid',
  WRAPPERS_INVALID: 'invalid',
  LOCK_NAME_INVALID: 'invalid',
  /** Retired (a restart takes its named locks again); kept in the contract for older clients. */
  RESTART_WITH_LOCKS: 'conflict',
  LOCK_NOT_HELD: 'not-found',
  LOCK_AMBIGUOUS: 'invalid',
  CONCURRENCY_KEY_INVALID: 'invalid',
  EXECUTION_NOT_FOUND: 'not-found',
  TASK_RUN_NOT_FOUND: 'not-found',
  ILLEGAL_TRANSITION: 'conflict',
  FLOW_REQUIRED: 'inconsistent',
  UNEXPECTED_EVENT: 'inconsistent',
  EVENT_SCHEMA_VERSION_UNKNOWN: 'inconsistent',
  // The use cases.
  FLOW_NOT_FOUND: 'not-found',
  FLOW_DISABLED: 'conflict',
  FLOW_EXISTS: 'conflict',
  COMMAND_REJECTED: 'conflict',
  EXECUTION_NOT_ENDED: 'conflict',
  REPLAY_INVALID: 'invalid',
  BACKFILL_INVALID: 'invalid',
  TRIGGER_NOT_FOUND: 'not-found',
  FILE_TOO_LARGE: 'invalid',
  FILE_INPUT_INVALID: 'invalid',
  FILE_NOT_FOUND: 'not-found',
  STORAGE_URI_INVALID: 'invalid',
  KV_INVALID: 'invalid',
  KV_KEY_NOT_FOUND: 'not-found',
  SECRET_NOT_FOUND: 'not-found',
  EVENT_IMPORT_INVALID: 'invalid',
  EVENT_IMPORT_CONFLICT: 'conflict',
  SUBFLOW_NAMESPACE_FORBIDDEN: 'forbidden',
  DEPENDENCY_UNREACHABLE: 'transient',
  // The read model.
  CURSOR_INVALID: 'invalid',
  LOG_LEVEL_INVALID: 'invalid',
  DASHBOARD_RANGE_INVALID: 'invalid',
  PURGE_INVALID: 'invalid',
  PROJECTION_NOT_FOUND: 'not-found',
  PROJECTION_STOPPED: 'transient',
  POSITION_WAIT_TIMEOUT: 'transient',
  EXECUTION_NOT_PROJECTED_YET: 'transient',
  // The event store.
  WRONG_EXPECTED_VERSION: 'transient',
  EVENT_STORE_UNAVAILABLE: 'transient',
  EVENT_STORE_INVALID_APPEND: 'fault',
  EVENT_STORE_STREAM_DELETED: 'inconsistent',
  EVENT_STORE_DUPLICATE_EVENT_ID: 'fault',
  EVENT_STORE_SUBSCRIPTION_CLOSED: 'transient',
  EVENT_STORE_CONFIGURATION: 'fault',
  EVENT_STORE_CLOSED: 'fault',
  EVENT_STORE_NO_POSITION: 'fault',
  EVENT_STORE_ACCESS_DENIED: 'fault',
  EVENT_STORE_FAILED: 'fault',
  // The bus.
  DEAD_LETTER_NOT_FOUND: 'not-found',
  DEAD_LETTER_ALREADY_REDRIVEN: 'conflict',
  POISON_MESSAGE: 'invalid',
  MESSAGE_INVALID: 'invalid',
  UNKNOWN_TOPIC: 'fault',
  // Configuration and the development infrastructure.
  CONFIG_INVALID: 'fault',
  KAFKA_JAVA_MISSING: 'fault',
  KAFKA_MAVEN_MISSING: 'fault',
  KAFKA_INSTALL_FAILED: 'fault',
  KAFKA_START_FAILED: 'fault',
  KAFKA_ALREADY_RUNNING: 'fault',
  // The worker: a task's own failure (its message goes to the task run, never to the API).
  TASK_FAILED: 'task',
  TASK_KILLED: 'task',
  SCRIPT_TIME_LIMIT: 'task',
  SCRIPT_MEMORY_LIMIT: 'task',
  SCRIPT_OUTPUT_LIMIT: 'task',
  SCRIPT_LOG_LIMIT: 'task',
  SCRIPT_METRIC_LIMIT: 'task',
  SCRIPT_ERROR: 'task',
  SCRIPT_SANDBOX: 'task',
  // The API itself: authentication, request shape, limits.
  UNAUTHENTICATED: 'unauthenticated',
  FORBIDDEN: 'forbidden',
  REQUEST_INVALID: 'invalid',
  QUERY_INVALID: 'invalid',
  ROUTE_NOT_FOUND: 'not-found',
  METHOD_NOT_ALLOWED: 'invalid',
  PAYLOAD_TOO_LARGE: 'limit',
  RATE_LIMITED: 'limit',
  /** At capacity (admission control): nothing was started; the same request succeeds once load falls. */
  OVERLOADED: 'transient',
  WEBHOOK_RESPONSE_INVALID: 'invalid',
  INTERNAL: 'fault',
} as const satisfies Record<string, ErrorKind>;

export type ErrorCode = keyof typeof ERROR_KINDS;

export const ERROR_CODES = Object.keys(ERROR_KINDS) as readonly ErrorCode[];

/** True for a string that is one of Chronicle's codes (and not, say, node's `ECONNREFUSED`). */
export const isErrorCode = (code: unknown): code is ErrorCode => typeof code === 'string' && Object.hasOwn(ERROR_KINDS, code);

export const errorKind = (code: ErrorCode): ErrorKind => ERROR_KINDS[code];
