import type { State } from '../state.js';

/** Where a list of tasks (or a flowable, or the whole flow) stands. */
export type Outcome = 'RUNNING' | 'SUCCESS' | 'WARNING' | 'FAILED';

/**
 * A terminal task-run state as the outcome of the list holding it: killed or cancelled counts as
 * failed, skipped (`runIf`) as a success (Kestra's State.isSuccess-free: SKIPPED never fails a list).
 */
export const outcomeOf = (state: State): Exclude<Outcome, 'RUNNING'> =>
  state === 'SUCCESS' || state === 'SKIPPED' ? 'SUCCESS' : state === 'WARNING' ? 'WARNING' : 'FAILED';

const RANK: Record<Exclude<Outcome, 'RUNNING'>, number> = { SUCCESS: 0, WARNING: 1, FAILED: 2 };

export const worst = (a: Exclude<Outcome, 'RUNNING'>, b: Exclude<Outcome, 'RUNNING'>): Exclude<Outcome, 'RUNNING'> =>
  RANK[a] >= RANK[b] ? a : b;
