import type { ExpectedRevision } from './event-store.port.js';

/** Base of every error the event store adapters raise; `code` is stable. */
export class EventStoreError extends Error {
  constructor(readonly code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The stream was not at the revision the writer expected: nothing was written. */
export class WrongExpectedVersionError extends EventStoreError {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** The stream's actual revision, or undefined when it does not exist. */
    readonly actual: bigint | undefined,
  ) {
    super(
      'EVENT_STORE.WRONG_EXPECTED_VERSION',
      `stream ${streamId}: expected ${String(expected)}, but it is ${actual === undefined ? 'absent' : `at revision ${actual}`}`,
    );
  }
}

/** The store cannot be reached (after the adapter's own retries). */
export class EventStoreUnavailableError extends EventStoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('EVENT_STORE.UNAVAILABLE', message, options);
  }
}
