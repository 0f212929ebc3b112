import type { SavepointSnapshot } from './savepoints.js';

/**
 * The execution was rewound in place to a savepoint of its own history: the log keeps every
 * event of the abandoned branch, and this one says where the execution went back to. It carries
 * what it restored, so every fold (the executor's, a projection's, a rebuild's) lands on the same
 * state without keeping snapshots of its own. No intent: the kills of abandoned attempts and the
 * timers are separate events decided with it.
 */
export interface ExecutionRewound {
  readonly type: 'ExecutionRewound';
  readonly data: {
    /** Makes the command idempotent: a redelivered rewind decides nothing. */
    readonly rewindId: string;
    readonly toRevision: number;
    /** The task the savepoint is "before". */
    readonly taskId: string;
    readonly taskRunId: string;
    readonly restored: SavepointSnapshot;
    readonly reason?: string;
    /** Who asked (the API token's or user's name). */
    readonly by?: string;
    readonly at: string;
  };
}
