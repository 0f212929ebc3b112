import { withoutSavepointSnapshots, type Execution, type TaskRun } from '@chronicle/domain';
import type { ExecutionView, TaskRunView } from '../queries/read-model.views.js';

/**
 * The one mapping from the domain's folded Execution (the write side's state, with its timers,
 * watchers, draft flow and replay data) to the read side's ExecutionView. The projection writes
 * its rows from it, live updates carry deltas of it, and a read that folds the log because the
 * read model lags answers with it: a client sees the same shape whichever source answered.
 * The defaults are the ones the rows hold (no inputs is `{}`, no original is the execution itself).
 */
export function toExecutionView(folded: Execution): ExecutionView {
  // Savepoint snapshots are the executor's, in memory: the read side lists the points, not their state.
  const execution = withoutSavepointSnapshots(folded);
  return {
    id: execution.id,
    namespace: execution.namespace,
    flowId: execution.flowId,
    flowRevision: execution.flowRevision,
    state: execution.state,
    stateHistory: execution.stateHistory ?? [],
    inputs: execution.inputs ?? {},
    ...present('outputs', execution.outputs),
    labels: execution.labels ?? {},
    ...present('trigger', execution.trigger),
    taskRuns: execution.taskRuns.map(toTaskRunView),
    originalId: execution.originalId ?? execution.id,
    ...present('parentId', execution.parentId),
    startDate: execution.startDate,
    ...present('endDate', execution.endDate),
    ...present('error', execution.error),
    ...present('options', execution.options),
    ...present('killReason', execution.killReason),
    ...present('lockClaims', execution.lockClaims),
    ...present('stepping', execution.stepping),
    ...present('savepoints', execution.savepoints),
    ...present('rewinds', execution.rewinds),
    ...present('wrapped', execution.wrapped),
    revision: execution.revision,
  };
}

export function toTaskRunView(taskRun: TaskRun): TaskRunView {
  return {
    id: taskRun.id,
    taskId: taskRun.taskId,
    ...present('parentTaskRunId', taskRun.parentTaskRunId),
    ...present('value', taskRun.value),
    state: taskRun.state,
    stateHistory: taskRun.stateHistory ?? [],
    attempts: taskRun.attempts ?? [],
    ...present('outputs', taskRun.outputs),
    ...present('startDate', taskRun.startDate),
    ...present('endDate', taskRun.endDate),
    ...present('error', taskRun.error),
    // Shown while it waits there (CREATED); once answered it runs, and the hold is history.
    ...present('breakpoint', taskRun.state === 'CREATED' ? taskRun.breakpoint : undefined),
  };
}

/** An absent or null value is an absent property, as the rows give it back (SQL NULL). */
function present<K extends string, V>(key: K, value: V | null | undefined): { [P in K]?: V } {
  return (value === null || value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
