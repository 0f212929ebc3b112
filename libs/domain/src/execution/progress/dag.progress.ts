import type { TaskDefinition } from '../../flow/flow.model.js';
import type { Decision } from '../decision.js';
import type { TaskRun } from '../execution.state.js';
import { isTerminal } from '../state.js';
import { enabled, runOf } from '../task-tree.js';
import { startTask } from '../task-run.start.js';
import type { RunProgress } from './groups.progress.js';
import { outcomeOf, type Outcome } from './outcome.js';

/**
 * Kestra's Dag (`FlowableUtils.resolveDagNexts`): a task starts once every task it `dependsOn`
 * has ended, at most `concurrent` run at once (0 = no limit), and after a failure no task
 * starts. A dependency on a disabled task counts as met (the task is not in the flow).
 */
export const progressDag = (d: Decision, run: TaskRun, task: TaskDefinition, progressRun: RunProgress): Outcome => {
  const tasks = enabled(task.lists?.tasks);
  const ids = new Set(tasks.map((t) => t.id));
  const limit = typeof task.properties.concurrent === 'number' ? task.properties.concurrent : 0;
  const ended = new Set<string>();
  let active = 0;
  let failed = false;
  let warned = false;
  let waiting = false;
  const account = (child: TaskRun): void => {
    if (!isTerminal(child.state)) {
      active++;
      return;
    }
    ended.add(child.taskId);
    const outcome = outcomeOf(child.state);
    if (outcome === 'FAILED') failed = true;
    else if (outcome === 'WARNING') warned = true;
  };
  for (const t of tasks) {
    const child = runOf(d.execution, t, run.id, undefined);
    if (child === undefined) continue;
    if (!isTerminal(child.state)) progressRun(d, child.id);
    account(d.taskRun(child.id));
  }
  for (const t of tasks) {
    if (runOf(d.execution, t, run.id, undefined) !== undefined) continue;
    const ready = (task.dependsOn?.[t.id] ?? []).every((dep) => !ids.has(dep) || ended.has(dep));
    if (!ready || failed || (limit > 0 && active >= limit) || d.execution.state !== 'RUNNING') {
      waiting = true;
      continue;
    }
    startTask(d, t, run.id, undefined);
    account(runOf(d.execution, t, run.id, undefined)!);
  }
  if (active > 0) return 'RUNNING';
  if (failed) return 'FAILED';
  // A task whose dependencies ended in this very pass starts on the next one.
  if (waiting) return 'RUNNING';
  return warned ? 'WARNING' : 'SUCCESS';
};
