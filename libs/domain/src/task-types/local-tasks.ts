import { CodedError } from '@chronicle/errors';
import { isTruthy } from '../expression/truthiness.js';
import { LOG_LEVELS, type LogLevel } from './registry.js';
import type { JsonObject, JsonValue } from '../shared/json.js';
import type { TaskJob } from '../execution/task-job.js';

/**
 * Local tasks: runnable tasks whose whole work is a pure function of their rendered properties
 * (OutputValues, Return, Log). Sending them through the worker pool costs two trips over the bus
 * and two more decisions per task, for work that takes microseconds; like Temporal's local
 * activities, the executor runs them inside the decision that dispatches them instead. The log
 * records them exactly as a worker's run (TaskRunCreated with the job, TaskRunStarted by
 * `LOCAL_WORKER_ID`, TaskRunSucceeded/Failed), in the same append: a crash loses none of it.
 *
 * The job says `local: true`, so the relay never sends it to the workers, and a Log task's lines
 * are derived from its job by the relay (`localLogLinesOf`), the way failures' ERROR lines are
 * derived from their events. Jobs recorded without the flag (older events, or local tasks turned
 * off) go to the workers, whose implementations of these types call the same functions.
 */
export const LOCAL_WORKER_ID = 'executor (local task)';

export type LocalTaskResult = { readonly ok: true; readonly outputs: JsonObject } | { readonly ok: false; readonly error: string };

export interface LocalLogLine {
  readonly level: LogLevel;
  readonly message: string;
}

/** A property the task cannot work with: the attempt fails with this message (TASK_FAILED, as the worker's failures). */
export class LocalTaskError extends CodedError {
  constructor(message: string) {
    super('TASK_FAILED', message);
  }
}

/** `OutputValues`: outputs `{ values }` as rendered. */
export function outputValuesOf(properties: JsonObject): JsonObject {
  const values = properties.values;
  if (typeof values !== 'object' || values === null || Array.isArray(values)) throw new LocalTaskError('values must be a map of names to values');
  return { values };
}

/** `Return`: outputs `{ value }`, the rendered `format`. */
export function returnValueOf(properties: JsonObject): JsonObject {
  return { value: (properties.format ?? null) as JsonValue };
}

export const DEFAULT_FAIL_MESSAGE = 'Task failure';

/**
 * `Fail` (io.kestra.plugin.core.execution.Fail): the message its task run fails with, or undefined
 * when it does not fail. It fails always, or only when the rendered `condition` is truthy: the
 * domain's `isTruthy`, Kestra's rule for rendered text, the one the decider applies to `If` (a YAML
 * boolean or number counts as its text). The worker's Fail runs this; so does the test driver.
 */
export function failureOf(properties: JsonObject): string | undefined {
  const { condition, errorMessage } = properties;
  const message = errorMessage === undefined || errorMessage === null ? DEFAULT_FAIL_MESSAGE : String(errorMessage);
  // No condition (absent or null, as in Kestra) means: always fail.
  if (condition !== undefined && condition !== null && !isTruthy(typeof condition === 'string' ? condition : JSON.stringify(condition))) return undefined;
  return message;
}

/** A task's `level` property (any case; INFO when absent), as Log and Echo take it. */
export function logLevelOf(level: unknown = 'INFO'): LogLevel {
  const upper = typeof level === 'string' ? level.toUpperCase() : undefined;
  if (upper === undefined || !(LOG_LEVELS as readonly string[]).includes(upper)) throw new LocalTaskError(`level must be one of ${LOG_LEVELS.join(', ')}`);
  return upper as LogLevel;
}

/** `Log`: `message` a string or a list of them (one line each), at `level` (INFO by default). */
export function logLinesOf(properties: JsonObject): LocalLogLine[] {
  const level = logLevelOf(properties.level);
  const { message } = properties;
  const lines = Array.isArray(message) ? message : [message ?? null];
  return lines.map((line) => ({ level, message: typeof line === 'string' ? line : JSON.stringify(line) }));
}

const LOCAL_TASKS: Readonly<Record<string, (properties: JsonObject) => JsonObject>> = {
  OutputValues: outputValuesOf,
  Return: returnValueOf,
  Log: (properties) => (logLinesOf(properties), {}),
};

/** Whether the executor runs tasks of this (canonical) type itself when local tasks are on. */
export const runsLocally = (type: string): boolean => Object.hasOwn(LOCAL_TASKS, type);

/** Runs a local job: its outputs, or the error its attempt fails with. */
export function runLocalJob(job: TaskJob): LocalTaskResult {
  const run = LOCAL_TASKS[job.type];
  if (run === undefined) return { ok: false, error: `${job.type} is not a local task` };
  try {
    return { ok: true, outputs: run(job.properties) };
  } catch (error) {
    if (error instanceof LocalTaskError) return { ok: false, error: error.message };
    throw error;
  }
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
