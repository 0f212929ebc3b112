import type { JsonObject } from '../../shared/json.js';

/**
 * What a rewind puts back: task runs, pending timers and variables as they were at a savepoint
 * (execution.state.ts names it SavepointSnapshot with its task run and timer types; the event
 * keeps it generic so the events never import the state).
 */
export interface RestoredPoint<TaskRunT = unknown, TimerT = unknown> {
  readonly taskRuns: readonly TaskRunT[];
  readonly timers: readonly TimerT[];
  readonly variables?: JsonObject;
}

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
    readonly restored: RestoredPoint;
    readonly reason?: string;
    /** Who asked (the API token's or user's name). */
    readonly by?: string;
    readonly at: string;
  };
}
