import { CodedError } from '@chronicle/errors';
import type { State } from './state.js';

/**
 * The only legal state changes, for executions, task runs and attempts alike (Kestra's set).
 *
 * - CREATED may be queued (concurrency limits), started, killed, cancelled before it runs, or
 *   fail before it runs (e.g. a task whose properties cannot be rendered).
 * - RUNNING ends in SUCCESS / WARNING / FAILED, pauses, is being killed (KILLING) or killed
 *   outright when nothing is running, or is retried (RETRYING); RUNNING or PAUSED may be
 *   CANCELLED by a flow SLA whose behavior is CANCEL.
 * - FAILED may be restarted in place (RESTARTED), retried (RETRYING) or marked RETRIED when a
 *   new attempt replaces it; WARNING and KILLED can be restarted too. A restart waiting for
 *   its named locks (RESTARTED) may be killed before it runs again.
 * - A task run whose `runIf` renders falsy goes CREATED -> SKIPPED (Kestra 0.21's JdbcExecutor),
 *   which its list counts as a success.
 * - SUCCESS, CANCELLED, RETRIED and SKIPPED are final. Replay does not reopen an execution: it creates a
 *   new execution (its own stream) with the same `originalId`, so the replayed one never
 *   changes, and nothing needs SUCCESS -> RESTARTED. Restart (CONTRACT: "re-run failed task
 *   runs in the same execution") only applies to FAILED, WARNING and KILLED.
 */
export const TRANSITIONS = {
  CREATED: ['RUNNING', 'QUEUED', 'KILLED', 'FAILED', 'CANCELLED', 'SKIPPED'],
  QUEUED: ['RUNNING', 'KILLED', 'CANCELLED'],
  RUNNING: ['SUCCESS', 'WARNING', 'FAILED', 'PAUSED', 'KILLING', 'RETRYING', 'KILLED', 'CANCELLED'],
  PAUSED: ['RUNNING', 'KILLING', 'KILLED', 'FAILED', 'CANCELLED'],
  KILLING: ['KILLED'],
  FAILED: ['RESTARTED', 'RETRYING', 'RETRIED'],
  WARNING: ['RESTARTED'],
  KILLED: ['RESTARTED'],
  RESTARTED: ['RUNNING', 'KILLED'],
  RETRYING: ['RUNNING', 'RETRIED', 'FAILED', 'KILLED'],
  SUCCESS: [],
  CANCELLED: [],
  RETRIED: [],
  SKIPPED: [],
} as const satisfies Record<State, readonly State[]>;

export const canTransition = (from: State, to: State): boolean =>
  (TRANSITIONS[from] as readonly State[]).includes(to);

/** A state change the table forbids: a bug or a corrupt stream, never silently accepted. */
export class IllegalTransitionError extends CodedError {
  constructor(
    /** What changes state, e.g. `execution 5f2c`, `task run 5f2c.0`. */
    readonly subject: string,
    readonly from: State,
    readonly to: State,
  ) {
    super('ILLEGAL_TRANSITION', `illegal transition of ${subject}: ${from} -> ${to} (allowed from ${from}: ${TRANSITIONS[from].join(', ') || 'none'})`);
  }
}

/** Returns `to` when the change is legal; throws IllegalTransitionError otherwise. */
export const assertTransition = <To extends State>(subject: string, from: State, to: To): To => {
  if (!canTransition(from, to)) throw new IllegalTransitionError(subject, from, to);
  return to;
};
