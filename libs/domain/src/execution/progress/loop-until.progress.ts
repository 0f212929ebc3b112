import type { TaskDefinition } from '../../flow/flow.model.js';
import type { JsonObject } from '../../shared/json.js';
import { type Decision, timerIdFor } from '../decision.js';
import type { Execution, TaskRun } from '../execution.state.js';
import { expressionContextOf } from '../expression-scope.js';
import { addMs, parseIsoDuration } from '../iso-duration.js';
import { isTruthy, renderText } from '../rendering.js';
import { enabled } from '../task-tree.js';
import { progressGroups, type RunProgress } from './groups.progress.js';
import type { Outcome } from './outcome.js';

/** How often and how long LoopUntil (and its older name WaitFor) loops; durations in ms. */
interface CheckFrequency {
  readonly maxIterations?: number;
  readonly maxDuration?: number;
  readonly interval: number;
}

/**
 * Kestra 0.23 changed LoopUntil's defaults to no limits and a one-minute interval
 * (docs: migration-guide/0.23.0/loop-until-defaults); WaitFor keeps the older ones
 * (WaitFor.java: 100 iterations, PT1H, PT1S).
 */
const DEFAULTS: Record<string, CheckFrequency> = {
  LoopUntil: { interval: 60_000 },
  WaitFor: { maxIterations: 100, maxDuration: 3_600_000, interval: 1_000 },
};

const frequencyOf = (task: TaskDefinition): CheckFrequency => {
  const defaults = DEFAULTS[task.type] ?? DEFAULTS.LoopUntil!;
  const raw = (task.properties.checkFrequency ?? {}) as JsonObject;
  const ms = (v: unknown, fallback: number | undefined): number | undefined => (typeof v === 'string' ? parseIsoDuration(v) ?? fallback : fallback);
  return {
    ...(typeof raw.maxIterations === 'number' ? { maxIterations: raw.maxIterations } : defaults.maxIterations !== undefined ? { maxIterations: defaults.maxIterations } : {}),
    ...(ms(raw.maxDuration, defaults.maxDuration) !== undefined ? { maxDuration: ms(raw.maxDuration, defaults.maxDuration)! } : {}),
    interval: ms(raw.interval, defaults.interval)!,
  };
};

export const loopTimerIdFor = (taskRunId: string, iteration: number): string => timerIdFor(taskRunId, 'loop', iteration);

/** How a flowable's main part ended when it says more than an outcome: its own error, its final outputs. */
export interface MainEnd {
  readonly outcome: Exclude<Outcome, 'RUNNING'>;
  readonly error?: string;
  readonly outputs?: JsonObject;
}

/**
 * One iteration runs the `tasks` in order (each iteration has its own task runs, `iteration` n).
 * When they all ended without failing (a WARNING makes the loop end WARNING), the iteration count goes up and, as in Kestra's WaitFor.java: unless
 * `maxIterations` (count above it) or `maxDuration` (since the loop started) is reached, a falsy
 * `condition` pauses the loop for `interval` (a durable `loop` timer) and runs the next
 * iteration; otherwise the loop ends, FAILED when a maximum was reached and `failOnMaxReached`.
 * The condition sees the new count (`outputs.<loop>.iterationCount`) and the last iteration's outputs.
 */
export const progressLoopUntil = (d: Decision, run: TaskRun, task: TaskDefinition, progressRun: RunProgress): Outcome | MainEnd => {
  const iteration = typeof run.outputs?.iterationCount === 'number' ? run.outputs.iterationCount : 1;
  const outcome = progressGroups(d, [{ tasks: enabled(task.lists?.tasks), iteration }], run.id, 1, progressRun);
  // Kestra's childTaskRunExecuted: an iteration is done when its tasks ended without failing (WARNING too).
  if (outcome === 'RUNNING' || outcome === 'FAILED') return outcome;
  const done = d.execution.taskRuns.some((t) => t.parentTaskRunId === run.id && t.state === 'WARNING') ? 'WARNING' : 'SUCCESS';
  const frequency = frequencyOf(task);
  const next = iteration + 1;
  const outputs = { ...run.outputs, iterationCount: next };
  const maxed = (frequency.maxIterations !== undefined && next > frequency.maxIterations)
    || (frequency.maxDuration !== undefined && run.startDate !== undefined && Date.parse(d.now) > Date.parse(run.startDate) + frequency.maxDuration);
  if (!maxed) {
    const context = expressionContextOf(withOutputs(d.execution, run.id, outputs), {
      flow: d.flow,
      now: d.now,
      installation: d.installation,
      taskRun: { id: run.id, taskId: task.id, taskType: task.typeName, ...(run.parentTaskRunId !== undefined ? { parentTaskRunId: run.parentTaskRunId } : {}), ...(run.startDate !== undefined ? { startDate: run.startDate } : {}) },
    });
    const condition = renderText(task.id, 'condition', task.properties.condition, context);
    if ('error' in condition) return { outcome: 'FAILED', error: condition.error };
    if (!isTruthy(condition.value)) {
      d.emit(
        { type: 'TaskRunStateChanged', data: { taskRunId: run.id, state: 'PAUSED', outputs, at: d.now } },
        { type: 'TimerScheduled', data: { timerId: loopTimerIdFor(run.id, next), fireAt: addMs(d.now, frequency.interval), purpose: 'loop', taskRunId: run.id, at: d.now } },
      );
      return 'RUNNING';
    }
  }
  // Kestra counts the iteration that ended the loop too (ExecutorService's WaitFor case).
  if (maxed && task.properties.failOnMaxReached === true) {
    const reached = frequency.maxIterations !== undefined && next > frequency.maxIterations ? `maxIterations (${frequency.maxIterations})` : 'maxDuration';
    return { outcome: 'FAILED', error: `task ${task.id} reached its ${reached} before its condition was true`, outputs };
  }
  return { outcome: done, outputs };
};

/** The execution as if the loop's outputs were already `outputs` (what the condition must see). */
const withOutputs = (execution: Execution, taskRunId: string, outputs: JsonObject): Execution => ({
  ...execution,
  taskRuns: execution.taskRuns.map((t) => (t.id === taskRunId ? { ...t, outputs } : t)),
});
