import type { JsonObject, JsonValue } from '../shared/json.js';

export const INPUT_TYPES = [
  'STRING', 'INT', 'FLOAT', 'BOOLEAN', 'DATETIME', 'DATE', 'TIME', 'DURATION',
  'JSON', 'ENUM', 'ARRAY', 'URI', 'EMAIL', 'SECRET', 'FILE',
] as const;
/** Supported input types; others are rejected at parse time with the list of these. */
export type InputType = (typeof INPUT_TYPES)[number];

export interface InputDefinition {
  readonly id: string;
  readonly type: InputType;
  /** Already coerced to the type (a DATETIME default is normalised to UTC, a JSON text parsed). */
  readonly defaults?: JsonValue;
  readonly required: boolean;
  readonly description?: string;
  /** SECRET inputs: the value is kept for the tasks, but APIs must mask it (see `maskSecrets`). */
  readonly secret?: true;
  /** ENUM: the allowed values. */
  readonly values?: readonly string[];
  /** ARRAY: the type of every item (not ARRAY). */
  readonly itemType?: InputType;
  /** Bounds: numbers (INT, FLOAT, and item count for ARRAY), ISO texts (DURATION, DATE, DATETIME, TIME). */
  readonly min?: number | string;
  readonly max?: number | string;
  /** Text inputs: a regular expression the whole value must match (Kestra's `validator`). */
  readonly regex?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
}

export interface TaskDefinition {
  readonly id: string;
  /** Canonical short type name (`Log`), whatever form the YAML used. */
  readonly type: string;
  /** The type exactly as written in the YAML. */
  readonly typeName: string;
  /**
   * The task's own properties, unrendered: everything but id, type, the control properties
   * below and the nested task lists of a flowable.
   */
  readonly properties: JsonObject;
  readonly description?: string;
  readonly retry?: RetryPolicy;
  /** A failure (after retries) ends the task run WARNING and the flow goes on. */
  readonly allowFailure?: boolean;
  /** A WARNING ends the task run SUCCESS. */
  readonly allowWarning?: boolean;
  /** ISO-8601 duration: a running attempt longer than this fails (and is told to stop). */
  readonly timeout?: string;
  /** A disabled task is skipped as if it were not in the flow. */
  readonly disabled?: boolean;
  /** Nested task lists of a flowable, by property name: `tasks`, `then`, `else`, `defaults`, `errors`, `finally`. */
  readonly lists?: Readonly<Record<string, readonly TaskDefinition[]>>;
  /** Switch `cases`: case value -> tasks. */
  readonly cases?: Readonly<Record<string, readonly TaskDefinition[]>>;
  /** Dag: task id -> the ids of the Dag's tasks it waits for (its `tasks` are in `lists.tasks`). */
  readonly dependsOn?: Readonly<Record<string, readonly string[]>>;
}

export const RETRY_TYPES = ['constant', 'exponential', 'random'] as const;
export type RetryType = (typeof RETRY_TYPES)[number];
export const RETRY_BEHAVIORS = ['RETRY_FAILED_TASK', 'CREATE_NEW_EXECUTION'] as const;
export type RetryBehavior = (typeof RETRY_BEHAVIORS)[number];

/** Kestra's retry shape; durations are ISO-8601 strings, checked at parse time. */
export interface RetryPolicy {
  readonly type: RetryType;
  /** Total attempts, the first included. Absent: bounded by `maxDuration` only. */
  readonly maxAttempt?: number;
  readonly maxDuration?: string;
  /** constant / exponential: the (first) wait. */
  readonly interval?: string;
  /** exponential / random: the longest wait. */
  readonly maxInterval?: string;
  /** random: the shortest wait. */
  readonly minInterval?: string;
  /** exponential: growth per attempt (Kestra's default 2). */
  readonly delayFactor?: number;
  /** A task that needed a retry to succeed ends WARNING. */
  readonly warningOnRetry: boolean;
  /** Flow-level only. */
  readonly behavior: RetryBehavior;
}

export const CONCURRENCY_BEHAVIORS = ['QUEUE', 'CANCEL', 'FAIL'] as const;
export type ConcurrencyBehavior = (typeof CONCURRENCY_BEHAVIORS)[number];

export interface ConcurrencyLimit {
  readonly limit: number;
  readonly behavior: ConcurrencyBehavior;
  /** An expression: the limit applies per rendered key (Chronicle's extension). */
  readonly key?: string;
}

/** A flow output: rendered when the execution ends. */
export interface FlowOutputDefinition {
  readonly id: string;
  readonly type: string;
  readonly value: JsonValue;
  readonly description?: string;
}

/** A parsed, validated flow revision. Unknown top-level properties are kept in `extra`. */
export interface FlowDefinition {
  readonly id: string;
  readonly namespace: string;
  readonly revision: number;
  readonly description?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly inputs: readonly InputDefinition[];
  readonly tasks: readonly TaskDefinition[];
  /** Run when the execution fails; it stays FAILED. */
  readonly errors?: readonly TaskDefinition[];
  /** Run at the end, whatever the outcome. */
  readonly finally?: readonly TaskDefinition[];
  readonly outputs?: readonly FlowOutputDefinition[];
  readonly retry?: RetryPolicy;
  readonly concurrency?: ConcurrencyLimit;
  /** ISO-8601 duration: the execution is killed when it runs longer. */
  readonly timeout?: string;
  readonly disabled?: boolean;
  /** Higher first when the worker pool is saturated. */
  readonly priority?: number;
  /** Flow `variables`, visible as `vars` in expressions. */
  readonly variables?: JsonObject;
  readonly triggers: readonly JsonValue[];
  readonly extra: JsonObject;
}
