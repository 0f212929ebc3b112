import type { TaskDefinition } from '../../flow/flow.model.js';
import type { Decision } from '../decision.js';
import { isTerminal } from '../state.js';
import { runOf } from '../task-tree.js';
import { startTask } from '../task-run.start.js';
import { outcomeOf, type Outcome } from './outcome.js';

/** Tasks that run one after the other; `value` is the loop value their task runs carry. */
export interface Group {
  readonly tasks: readonly TaskDefinition[];
  readonly value?: string;
  /** LoopUntil/WaitFor: the iteration the tasks run in (each has its own task runs). */
  readonly iteration?: number;
}

/** Moves one task run forward (a flowable's children, a retry due); set by the flowable module. */
export type RunProgress = (d: Decision, taskRunId: string) => void;

/**
 * Kestra's list semantics, one function for all of them: each group runs its tasks in order
 * (a failed task stops its group), at most `limit` groups run at once (0 = no limit), and once a
 * group failed no other group starts. Sequential is one group; Parallel one group per task;
 * ForEach one group per value. New task runs are only created while the execution is RUNNING.
 */
export const progressGroups = (d: Decision, groups: readonly Group[], parentId: string | undefined, limit: number, progressRun: RunProgress): Outcome => {
  let active = 0;
  let waiting = false;
  let failed = false;
  let warned = false;
  for (const group of groups) {
    const mayStart = !failed && (limit === 0 || active < limit) && d.execution.state === 'RUNNING';
    const outcome = progressGroup(d, group, parentId, mayStart, progressRun);
    if (outcome === 'WAITING') waiting = true;
    else if (outcome === 'RUNNING') active++;
    else if (outcome === 'FAILED') failed = true;
    else if (outcome === 'WARNING') warned = true;
  }
  if (active > 0) return 'RUNNING';
  if (failed) return 'FAILED';
  if (waiting) return 'RUNNING';
  return warned ? 'WARNING' : 'SUCCESS';
};

const progressGroup = (d: Decision, group: Group, parentId: string | undefined, mayStart: boolean, progressRun: RunProgress): Outcome | 'WAITING' => {
  let warned = false;
  // Indexed: walked on every progress pass, and `entries()` made an iterator and a pair per task.
  for (let index = 0; index < group.tasks.length; index++) {
    const task = group.tasks[index]!;
    let run = runOf(d.execution, task, parentId, group.value, group.iteration);
    if (run === undefined) {
      if (index === 0 && !mayStart) return 'WAITING';
      if (d.execution.state === 'RUNNING') startTask(d, task, parentId, group.value, group.iteration);
      return 'RUNNING';
    }
    if (!isTerminal(run.state)) {
      progressRun(d, run.id);
      run = d.taskRun(run.id);
      if (!isTerminal(run.state)) return 'RUNNING';
    }
    const outcome = outcomeOf(run.state);
    if (outcome === 'FAILED') return 'FAILED';
    if (outcome === 'WARNING') warned = true;
  }
  return warned ? 'WARNING' : 'SUCCESS';
};
