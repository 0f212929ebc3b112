import type { JsonObject, JsonValue } from '../shared/json.js';
import type { TaskJob } from './task-job.js';

/**
 * Events of the Execution aggregate (stream `execution-<id>`). Past tense, versioned by
 * `EXECUTION_EVENT_SCHEMA_VERSION` in the envelope metadata. Every event carries `at`
 * (ISO-8601 UTC), the time the decision was taken, given to the decider by its caller.
 */
export type ExecutionEvent =
  | ExecutionCreated
  | ExecutionStarted
  | TaskRunCreated
  | TaskRunStarted
  | TaskRunSucceeded
  | TaskRunFailed
  | ExecutionSucceeded
  | ExecutionFailed;

export type ExecutionEventType = ExecutionEvent['type'];
export const EXECUTION_EVENT_SCHEMA_VERSION = 1;

export interface ExecutionCreated {
  readonly type: 'ExecutionCreated';
  readonly data: {
    readonly executionId: string;
    readonly namespace: string;
    readonly flowId: string;
    readonly flowRevision: number;
    /** Validated and typed inputs, defaults applied. */
    readonly inputs: JsonObject;
    readonly labels: Readonly<Record<string, string>>;
    readonly trigger?: JsonObject;
    readonly originalId: string;
    readonly parentId?: string;
    readonly at: string;
  };
}

export interface ExecutionStarted {
  readonly type: 'ExecutionStarted';
  readonly data: { readonly at: string };
}

export interface TaskRunCreated {
  readonly type: 'TaskRunCreated';
  readonly data: {
    readonly taskRunId: string;
    readonly taskId: string;
    readonly parentTaskRunId?: string;
    readonly value?: string;
    /** Present for runnable tasks: what the worker pool must run (properties already rendered). */
    readonly job?: TaskJob;
    readonly at: string;
  };
}

export interface TaskRunStarted {
  readonly type: 'TaskRunStarted';
  readonly data: { readonly taskRunId: string; readonly attempt: number; readonly workerId?: string; readonly at: string };
}

export interface TaskRunSucceeded {
  readonly type: 'TaskRunSucceeded';
  readonly data: { readonly taskRunId: string; readonly attempt: number; readonly outputs: JsonObject; readonly at: string };
}

export interface TaskRunFailed {
  readonly type: 'TaskRunFailed';
  readonly data: { readonly taskRunId: string; readonly attempt: number; readonly error: string; readonly at: string };
}

export interface ExecutionSucceeded {
  readonly type: 'ExecutionSucceeded';
  readonly data: { readonly outputs?: JsonObject; readonly at: string };
}

export interface ExecutionFailed {
  readonly type: 'ExecutionFailed';
  readonly data: { readonly error: string; readonly at: string };
}

/** Convenience for places that only need the value shape. */
export type ExecutionEventData = { readonly [key: string]: JsonValue | undefined };
