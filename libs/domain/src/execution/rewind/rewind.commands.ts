/**
 * Rewinds an execution in place (same id, unlike a replay) to one of its savepoints: a revision
 * (`toRevision`) or "before task X" (`beforeTaskId`, its newest savepoint). Exactly one is given.
 */
export interface RewindExecution {
  readonly type: 'RewindExecution';
  readonly executionId: string;
  /** Chosen by the caller, once per request: a redelivery of the same rewind decides nothing. */
  readonly rewindId: string;
  readonly toRevision?: number;
  readonly beforeTaskId?: string;
  readonly reason?: string;
  readonly by?: string;
  readonly now: string;
}
