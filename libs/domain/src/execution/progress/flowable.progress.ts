import type { TaskDefinition } from '../../flow/flow.model.js';
import { dispatchAttempt } from '../attempts.js';
import { type Decision, timerIdFor } from '../decision.js';
import type { TaskRun } from '../execution.state.js';
import { isTerminal } from '../state.js';
import { enabled, hasAttempts, taskOf } from '../task-tree.js';
import { cancelTaskTimeout } from '../task-timeout.arm.js';
import { progressDag } from './dag.progress.js';
import { type Group, progressGroups } from './groups.progress.js';
import { type MainEnd, progressLoopUntil } from './loop-until.progress.js';
import { type Outcome, worst } from './outcome.js';
import { workingDirectoryOutputs } from '../working-directory.files.js';

/**
 * Moves one unfinished task run forward: a runnable whose retry is due gets its next attempt; a
 * flowable advances its children and, once they are done, runs its `errors` (after a failure)
 * and `finally`, then ends with the state Kestra gives it. Sleep, Subflow and a PAUSED Pause
 * wait for their timer, child or resume.
 */
export const progressRun = (d: Decision, taskRunId: string): void => {
  const run = d.taskRun(taskRunId);
  const task = taskOf(d.flow, run.taskId);
  if (task === undefined || isTerminal(run.state)) return;
  if (hasAttempts(d.taskTypes, task)) {
    retryIfDue(d, run, task);
    return;
  }
  // Sleep and SleepUntil wait for their timer, ForEachItem's `_items` for its subflow executions, Resume for its target's answer, WaitForExecution for the other's end.
  if (run.state !== 'RUNNING' || task.type === 'Sleep' || task.type === 'SleepUntil' || task.type === 'ForEachItemExecutable' || task.type === 'Resume' || task.type === 'WaitForExecution') return;
  const result = mainOutcome(d, run, task);
  const main = typeof result === 'string' ? result : result.outcome;
  // A child may have ended the run with the execution (Exit: KILLED).
  if (isTerminal(d.taskRun(run.id).state)) return;
  if (main !== 'RUNNING') finish(d, run, task, main, typeof result === 'string' ? {} : result);
};

/** A RETRYING run whose timer fired (or that waited out a pause) gets its next attempt. */
const retryIfDue = (d: Decision, run: TaskRun, task: TaskDefinition): void => {
  if (run.state !== 'RETRYING' || d.execution.state !== 'RUNNING') return;
  const next = run.attempts.length + 1;
  if (d.execution.timers.some((t) => t.timerId === timerIdFor(run.id, 'retry', next))) return;
  dispatchAttempt(d, run.id, task, next);
};

const list = (task: TaskDefinition, key: string): readonly TaskDefinition[] => enabled(task.lists?.[key]);

const mainOutcome = (d: Decision, run: TaskRun, task: TaskDefinition): Outcome | MainEnd => {
  const p = task.properties;
  const limitOf = (value: unknown, fallback: number): number => (typeof value === 'number' ? value : fallback);
  const groups = (g: readonly Group[], limit: number): Outcome => progressGroups(d, g, run.id, limit, progressRun);
  // A Pause its `timeout` stopped while PAUSED runs again only to fail (timer.control.ts).
  if (task.type === 'Pause' && run.error !== undefined) return { outcome: 'FAILED', error: run.error };
  switch (task.type) {
    case 'Parallel':
      return groups(list(task, 'tasks').map((t) => ({ tasks: [t] })), limitOf(p.concurrent, 0));
    case 'If': {
      const branch = run.outputs?.evaluationResult === true ? list(task, 'then') : list(task, 'else');
      return groups([{ tasks: branch }], 1);
    }
    case 'Switch': {
      const value = typeof run.outputs?.value === 'string' ? run.outputs.value : '';
      const branch = Object.hasOwn(task.cases ?? {}, value) ? enabled(task.cases?.[value]) : list(task, 'defaults');
      if (branch.length === 0 && !Object.hasOwn(task.cases ?? {}, value)) return 'FAILED';
      return groups([{ tasks: branch }], 1);
    }
    case 'ForEach':
    case 'EachSequential': {
      const limit = task.type === 'ForEach' ? limitOf(p.concurrencyLimit, 1) : 1;
      return groups((run.iterations ?? []).map((value) => ({ tasks: list(task, 'tasks'), value })), limit);
    }
    case 'EachParallel':
      return groups((run.iterations ?? []).flatMap((value) => list(task, 'tasks').map((t) => ({ tasks: [t], value }))), limitOf(p.concurrent, 0));
    case 'Dag':
      return progressDag(d, run, task, progressRun);
    case 'LoopUntil':
    case 'WaitFor':
      return progressLoopUntil(d, run, task, progressRun);
    case 'WorkingDirectory': {
      // Its tasks in sequence; then its `outputFiles` are captured from the folder they left.
      const outcome = groups([{ tasks: list(task, 'tasks') }], 1);
      if (outcome === 'RUNNING' || outcome === 'FAILED') return outcome;
      const outputs = workingDirectoryOutputs(d, run, task);
      if ('error' in outputs) return { outcome: 'FAILED', error: outputs.error };
      return outputs.value === undefined ? outcome : { outcome, outputs: outputs.value };
    }
    default:
      // Sequential, AllowFailure, and a resumed Pause running its (deprecated) `tasks`.
      return groups([{ tasks: list(task, 'tasks') }], 1);
  }
};

/**
 * Local `errors` run after a failure but never rescue it; `finally` runs last; AllowFailure
 * (or `allowFailure: true`) turns FAILED into WARNING, `allowWarning` WARNING into SUCCESS.
 */
const finish = (d: Decision, run: TaskRun, task: TaskDefinition, main: Exclude<Outcome, 'RUNNING'>, end: Omit<MainEnd, 'outcome'>): void => {
  const ownError = end.error;
  let outcome = main;
  const errors = list(task, 'errors');
  if (main === 'FAILED' && errors.length > 0) {
    const handled = progressGroups(d, [{ tasks: errors }], run.id, 1, progressRun);
    if (handled === 'RUNNING') return;
  }
  const final = list(task, 'finally');
  if (final.length > 0) {
    const done = progressGroups(d, [{ tasks: final }], run.id, 1, progressRun);
    if (done === 'RUNNING') return;
    outcome = worst(outcome, done);
  }
  if (outcome === 'FAILED' && (task.type === 'AllowFailure' || task.allowFailure === true)) outcome = 'WARNING';
  if (outcome === 'WARNING' && task.allowWarning === true) outcome = 'SUCCESS';
  cancelTaskTimeout(d, run.id);
  const cause = outcome === 'FAILED' && run.error === undefined && ownError === undefined ? firstChildError(d, run.id) : undefined;
  const error = outcome === 'FAILED' ? (run.error ?? ownError ?? cause?.error) : undefined;
  d.emit({
    type: 'TaskRunStateChanged',
    data: { taskRunId: run.id, state: outcome, ...(end.outputs !== undefined ? { outputs: end.outputs } : {}), ...(error !== undefined ? { error } : {}), ...(cause !== undefined ? { causeTaskRunId: cause.taskRunId } : {}), at: d.now },
  });
};

const firstChildError = (d: Decision, parentId: string): { error: string; taskRunId: string } | undefined => {
  const failed = d.execution.taskRuns.find((t) => t.parentTaskRunId === parentId && t.state === 'FAILED');
  return failed === undefined ? undefined : { error: `task ${failed.taskId} failed${failed.error !== undefined ? `: ${failed.error}` : ''}`, taskRunId: failed.id };
};
