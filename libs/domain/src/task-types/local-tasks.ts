import type { TaskJob } from '../execution/task-job.js';
import type { JsonObject } from '../shared/json.js';
import { LOG_LEVELS, logLinesOf, type LocalLogLine, type LogLevel } from './log.task-type.js';
import type { TaskCatalog } from './task-catalog.js';
import { LocalTaskError } from './task-type-definition.js';

/**
 * Local tasks: runnable tasks whose whole work is a pure function of their rendered properties
 * (their definition's `run`, marked `local`: OutputValues, Return, Log). Sending them through the
 * worker pool costs two trips over the bus and two more decisions per task, for work that takes
 * microseconds; like Temporal's local activities, the executor runs them inside the decision that
 * dispatches them instead. The log records them exactly as a worker's run (TaskRunCreated with the
 * job, TaskRunStarted by `LOCAL_WORKER_ID`, TaskRunSucceeded/Failed), in the same append: a crash
 * loses none of it.
 *
 * The job says `local: true`, so the relay never sends it to the workers, and a Log task's lines
 * are derived from its job by the relay (`localLogLinesOf`), the way failures' ERROR lines are
 * derived from their events. Jobs recorded without the flag (older events, or local tasks turned
 * off) go to the workers, whose runners of these types call the same functions.
 */
export const LOCAL_WORKER_ID = 'executor (local task)';

export type LocalTaskResult = { readonly ok: true; readonly outputs: JsonObject } | { readonly ok: false; readonly error: string };

export { LocalTaskError } from './task-type-definition.js';
export { logLevelOf, logLinesOf, type LocalLogLine } from './log.task-type.js';
export { outputValuesOf } from './output-values.task-type.js';
export { DEFAULT_FAIL_MESSAGE, failureOf } from './fail.task-type.js';
export { returnValueOf } from './return.task-type.js';
export { echoLineOf } from './echo.task-type.js';

/** Whether the executor runs tasks of this (canonical) type itself when local tasks are on. */
export const runsLocally = (taskTypes: TaskCatalog, type: string): boolean => taskTypes.find(type)?.local === true;

/** Runs a type's pure run (its definition's `run`): its outputs, or the error its attempt fails with. */
export function runPure(taskTypes: TaskCatalog, type: string, properties: JsonObject): LocalTaskResult {
  const run = taskTypes.find(type)?.run;
  if (run === undefined) return { ok: false, error: `${type} has no pure run` };
  try {
    return { ok: true, outputs: run(properties) };
  } catch (error) {
    if (error instanceof LocalTaskError) return { ok: false, error: error.message };
    throw error;
  }
}

/** Runs a local job: its outputs, or the error its attempt fails with. */
export function runLocalJob(taskTypes: TaskCatalog, job: TaskJob): LocalTaskResult {
  if (!runsLocally(taskTypes, job.type)) return { ok: false, error: `${job.type} is not a local task` };
  return runPure(taskTypes, job.type, job.properties);
}

/**
 * Kestra's task `logLevel`: a line below the task's minimum level is not kept (TRACE < DEBUG <
 * INFO < WARN < ERROR); without one, every line is.
 */
export const keepsLogLine = (minimum: LogLevel | undefined, level: LogLevel): boolean =>
  minimum === undefined || LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf(minimum);

/** The lines a local Log job logged (none when its properties made it fail, or it is not a Log), its `logLevel` applied. */
export function localLogLinesOf(job: TaskJob): LocalLogLine[] {
  if (job.local !== true || job.type !== 'Log') return [];
  try {
    return logLinesOf(job.properties).filter((line) => keepsLogLine(job.logLevel, line.level));
  } catch (error) {
    if (error instanceof LocalTaskError) return [];
    throw error;
  }
}
