import type { Decision } from './decision.js';
import { endExecution } from './execution.end.js';
import { progressRun } from './progress/flowable.progress.js';
import { progressGroups } from './progress/groups.progress.js';
import { type Outcome, worst } from './progress/outcome.js';
import { enabled } from './task-tree.js';

/** A bound on passes: each pass either decides something or ends the loop; a flow is finite. */
const MAX_PASSES = 100_000;

/**
 * Moves the execution as far as it can go now, Kestra-style: walks the flow's task tree, creates
 * the task runs that may start, ends the flowables whose children are done, and ends the execution
 * when the flow is done. Repeats until a pass decides nothing, so one command takes the execution
 * to its next wait (a worker, a timer, a child, a resume).
 */
export const progress = (d: Decision): void => {
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const before = d.events.length;
    progressOnce(d);
    if (d.events.length === before) return;
  }
};

const progressOnce = (d: Decision): void => {
  if (d.execution.state !== 'RUNNING') return;
  const root = (tasks: Parameters<typeof enabled>[0]): Outcome => progressGroups(d, [{ tasks: enabled(tasks) }], undefined, 1, progressRun);
  const main = root(d.flow.tasks);
  // A task may have ended the execution itself (Exit).
  if (main === 'RUNNING' || d.execution.state !== 'RUNNING') return;
  let outcome = main;
  if (main === 'FAILED' && enabled(d.flow.errors).length > 0 && root(d.flow.errors) === 'RUNNING') return;
  if (enabled(d.flow.finally).length > 0) {
    const final = root(d.flow.finally);
    if (final === 'RUNNING') return;
    outcome = worst(outcome, final);
  }
  // afterExecution runs once the outcome is known; what it ends in does not change the outcome.
  if (enabled(d.flow.afterExecution).length > 0 && root(d.flow.afterExecution) === 'RUNNING') return;
  if (d.execution.state !== 'RUNNING') return;
  endExecution(d, outcome);
};
