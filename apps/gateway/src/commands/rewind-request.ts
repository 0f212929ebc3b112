import type { ControlRequest } from '@chronicle/use-cases';
import { newId } from '@chronicle/runtime';
import { BadUserInputError } from '../errors/api-errors.js';

/** What a client asks for: a savepoint's revision or "before task X", why, and a key for retries. */
export interface RewindAsk {
  readonly toRevision?: number;
  readonly beforeTaskId?: string;
  readonly reason?: string;
  readonly idempotencyKey?: string;
}

/**
 * The RewindExecution a client's ask becomes, for GraphQL and REST alike. The same idempotency
 * key is the same rewind (a retried request does not rewind twice); without one, each request is
 * a new rewind. Which points exist is the domain's answer (a BAD_USER_INPUT naming the field).
 */
export function rewindRequest(ask: RewindAsk, by: string): ControlRequest {
  if (ask.toRevision !== undefined && (!Number.isInteger(ask.toRevision) || ask.toRevision < 0)) {
    throw new BadUserInputError(`toRevision must be a revision (an integer, 0 or more), got ${ask.toRevision}`, { field: 'toRevision' });
  }
  if (ask.reason !== undefined && ask.reason.length > 2000) throw new BadUserInputError('reason must be at most 2000 characters', { field: 'reason' });
  return {
    type: 'RewindExecution',
    rewindId: ask.idempotencyKey !== undefined && ask.idempotencyKey !== '' ? `key:${ask.idempotencyKey}` : newId(),
    ...(ask.toRevision !== undefined ? { toRevision: ask.toRevision } : {}),
    ...(ask.beforeTaskId !== undefined ? { beforeTaskId: ask.beforeTaskId } : {}),
    ...(ask.reason !== undefined ? { reason: ask.reason } : {}),
    by,
    actor: by,
  };
}
