import {
  AccessDeniedError,
  CancelledError,
  convertToCommandError,
  DeadlineExceededError,
  MaxAppendSizeExceededError,
  NotLeaderError,
  StreamDeletedError as EsdbStreamDeletedError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
} from '@eventstore/db-client';
import {
  EventStoreError,
  EventStoreUnavailableError,
  InvalidAppendError,
  StreamDeletedError,
  WrongExpectedVersionError,
} from '../errors.js';
import type { ExpectedRevision } from '../event-store.port.js';

/** Backoff of the adapter's retries of transient failures. */
export interface RetryPolicy {
  /** Tries in all, the first included. */
  readonly attempts: number;
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
}

const GRPC_UNAVAILABLE = 14;

/**
 * Failures worth retrying: the node is down or restarting (unavailable), a follower answered
 * (not leader: the client reconnects to the leader it names), the server cancelled or timed
 * out a call. The client drops its channel on these, so the next try reconnects.
 */
export function isTransient(error: unknown): boolean {
  const converted = convertToCommandError(error as Error);
  return (
    converted instanceof UnavailableError ||
    converted instanceof NotLeaderError ||
    converted instanceof CancelledError ||
    converted instanceof DeadlineExceededError ||
    converted instanceof TimeoutError ||
    (converted as { code?: number }).code === GRPC_UNAVAILABLE
  );
}

/** Translates the client's errors into the port's (the append context names the stream and expectation). */
export function mapEsdbError(error: unknown, append?: { streamId: string; expected: ExpectedRevision }): Error {
  if (error instanceof EventStoreError) return error;
  const converted = convertToCommandError(error as Error);
  const message = converted instanceof Error ? converted.message : String(converted);
  if (converted instanceof EsdbWrongExpectedVersionError && append) {
    const actual = converted.actualVersion === 'no_stream' ? undefined : BigInt(converted.actualVersion);
    return new WrongExpectedVersionError(append.streamId, append.expected, actual);
  }
  if (converted instanceof EsdbStreamDeletedError) return new StreamDeletedError(converted.streamName ?? append?.streamId ?? 'unknown', { cause: error });
  if (isTransient(converted)) return new EventStoreUnavailableError(`EventStoreDB is unavailable: ${message}`, { cause: error });
  if (converted instanceof AccessDeniedError) return new EventStoreError('EVENT_STORE_ACCESS_DENIED', `EventStoreDB denied access: ${message}`, { cause: error });
  if (converted instanceof MaxAppendSizeExceededError) return new InvalidAppendError(`the append is larger than EventStoreDB accepts (${converted.maxAppendSize} bytes)`);
  return new EventStoreError('EVENT_STORE_FAILED', `EventStoreDB failed: ${message}`, { cause: error });
}

/** Runs `operation`, retrying transient failures with exponential backoff; maps the final error. */
export async function withRetries<T>(
  policy: RetryPolicy,
  operation: () => Promise<T>,
  append?: { streamId: string; expected: ExpectedRevision },
): Promise<T> {
  let delay = policy.firstDelayMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!isTransient(error) || attempt >= policy.attempts) throw mapEsdbError(error, append);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, policy.maxDelayMs);
    }
  }
}
