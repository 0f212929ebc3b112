import { CodedError, type ErrorCode } from '@chronicle/errors';
import type { ExpectedRevision } from './event-store.port.js';

/** Base of every error the event store adapters raise; `code` is stable. */
export class EventStoreError extends CodedError {
  constructor(code: EventStoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

type EventStoreErrorCode = Extract<ErrorCode, `EVENT_STORE_${string}`> | 'WRONG_EXPECTED_VERSION';

/** The stream was not at the revision the writer expected: nothing was written. */
export class WrongExpectedVersionError extends EventStoreError {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** The stream's actual revision, or undefined when it does not exist. */
    readonly actual: bigint | undefined,
  ) {
    super(
      'WRONG_EXPECTED_VERSION',
      `stream ${streamId}: expected ${String(expected)}, but it is ${actual === undefined ? 'absent' : `at revision ${actual}`}`,
    );
  }
}

/** The store cannot be reached (after the adapter's own retries). */
export class EventStoreUnavailableError extends EventStoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('EVENT_STORE_UNAVAILABLE', message, options);
  }
}

/** The append request itself is malformed (no events, negative revision...): nothing was written. */
export class InvalidAppendError extends EventStoreError {
  constructor(message: string) {
    super('EVENT_STORE_INVALID_APPEND', message);
  }
}

/** The stream was deleted (EventStoreDB tombstone or soft delete): it cannot be read or written. */
export class StreamDeletedError extends EventStoreError {
  constructor(readonly streamId: string, options?: { cause?: unknown }) {
    super('EVENT_STORE_STREAM_DELETED', `stream ${streamId} is deleted`, options);
  }
}

/** An event with this id is already in the log: nothing was written. */
export class DuplicateEventIdError extends EventStoreError {
  constructor(readonly eventId: string, options?: { cause?: unknown }) {
    super('EVENT_STORE_DUPLICATE_EVENT_ID', `an event with id ${eventId} is already stored`, options);
  }
}

/** The subscription was closed before it caught up (rejects `caughtUp`). */
export class SubscriptionClosedError extends EventStoreError {
  constructor() {
    super('EVENT_STORE_SUBSCRIPTION_CLOSED', 'the subscription was closed before it caught up');
  }
}
