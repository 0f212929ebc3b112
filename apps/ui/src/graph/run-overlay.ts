import type { State, TaskRun } from '../api/types.js';

/** What the graph shows of a task's runs in one execution. */
export interface NodeRun {
  readonly state: State;
  /** Task runs of this task (loop iterations, retries as restarts…). */
  readonly runs: number;
  /** The most attempts any of its runs took. */
  readonly attempts: number;
  /** Distinct loop values it ran with (ForEach iterations). */
  readonly iterations: number;
  /** Where the execution is now: one of its runs is not finished. */
  readonly current: boolean;
}

const ACTIVE: ReadonlySet<State> = new Set(['CREATED', 'QUEUED', 'RUNNING', 'PAUSED', 'KILLING', 'RETRYING']);
// When runs of one task end differently, the worst one colours the node.
const RANK: State[] = ['FAILED', 'KILLED', 'WARNING', 'CANCELLED', 'SUCCESS', 'RETRIED', 'RESTARTED'];

/** Task runs folded per task id: the node's colour, counts and whether it is the current position. */
export function runsByTask(runs: readonly TaskRun[]): Map<string, NodeRun> {
  const grouped = new Map<string, TaskRun[]>();
  for (const run of runs) grouped.set(run.taskId, [...(grouped.get(run.taskId) ?? []), run]);
  const out = new Map<string, NodeRun>();
  for (const [taskId, list] of grouped) {
    const active = list.find((r) => ACTIVE.has(r.state));
    const state = active?.state ?? RANK.find((s) => list.some((r) => r.state === s)) ?? list[list.length - 1]!.state;
    out.set(taskId, {
      state,
      runs: list.length,
      attempts: Math.max(1, ...list.map((r) => r.attempts.length)),
      iterations: new Set(list.map((r) => r.value).filter((v) => v !== null && v !== undefined)).size,
      current: !!active,
    });
  }
  return out;
}
