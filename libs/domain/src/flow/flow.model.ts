import type { WrapperReference } from './wrappers.parser.js';
import type { JsonObject, JsonValue } from '../shared/json.js';

export const INPUT_TYPES = [
  'STRING', 'INT', 'FLOAT', 'BOOLEAN', 'DATETIME', 'DATE', 'TIME', 'DURATION',
  'JSON', 'YAML', 'ENUM', 'SELECT', 'MULTISELECT', 'ARRAY', 'URI', 'EMAIL', 'SECRET', 'FILE',
] as const;
/** Supported input types; others are rejected at parse time with the list of these. */
export type InputType = (typeof INPUT_TYPES)[number];

export interface InputDefinition {
  /** May be dotted (`nested.more.int`): the value is then read as `inputs.nested.more.int`. */
  readonly id: string;
  readonly type: InputType;
  /** Already coerced to the type (a DATETIME default is normalised to UTC, a JSON text parsed). */
  readonly defaults?: JsonValue;
  readonly required: boolean;
  readonly description?: string;
  /** The label a form shows instead of the id. */
  readonly displayName?: string;
  /**
   * Kestra's `dependsOn`: the input exists only when every input it names exists and, if given,
   * the `condition` expression (rendered with those inputs) is true; otherwise it is left out.
   */
  readonly dependsOn?: { readonly inputs: readonly string[]; readonly condition?: string };
  /** SELECT / MULTISELECT: an expression rendering the allowed values (with the `dependsOn` inputs). */
  readonly expression?: string;
  /** SELECT / MULTISELECT: a value outside `values` is accepted. */
  readonly allowCustomValue?: boolean;
  /** SELECT: a form shows radio buttons (display only). */
  readonly isRadio?: boolean;
  /** FILE: the extension of the stored upload (Kestra's default `.upl`; display only here). */
  readonly extension?: string;
  /** SECRET inputs: the value is kept for the tasks, but APIs must mask it (see `maskSecrets`). */
  readonly secret?: true;
  /** ENUM, SELECT, MULTISELECT: the allowed values. */
  readonly values?: readonly string[];
  /** ARRAY, MULTISELECT: the type of every item (not ARRAY nor MULTISELECT). */
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
  /** An expression rendered when the task run is created: falsy, the task run ends SKIPPED (Kestra's `runIf`). */
  readonly runIf?: string;
  /** The task's own log lines below this level are dropped (Kestra's `logLevel`). */
  readonly logLevel?: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** Kestra's `logToFile`: the worker writes the attempt's log lines to a file of the internal storage (the attempt's `logFile`) instead of the log store. */
  readonly logToFile?: true;
  /** Nested task lists of a flowable, by property name: `tasks`, `then`, `else`, `defaults`, `errors`, `finally`. */
  readonly lists?: Readonly<Record<string, readonly TaskDefinition[]>>;
  /** Switch `cases`: case value -> tasks. */
  readonly cases?: Readonly<Record<string, readonly TaskDefinition[]>>;
  /** Dag: task id -> the ids of the Dag's tasks it waits for (its `tasks` are in `lists.tasks`). */
  readonly dependsOn?: Readonly<Record<string, readonly string[]>>;
  /** Named locks the task holds while it runs (names or expressions; see lock-names.ts). */
  readonly locks?: readonly string[];
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

export const SLA_TYPES = ['MAX_DURATION', 'EXECUTION_ASSERTION'] as const;
export const SLA_BEHAVIORS = ['FAIL', 'CANCEL', 'NONE'] as const;

/**
 * Kestra's flow SLA (core/src/main/java/io/kestra/core/models/flows/sla): MAX_DURATION is
 * violated when the execution still runs `duration` after its creation; EXECUTION_ASSERTION when
 * `assert` renders falsy on any change of the running execution. A violation FAILs or CANCELs the
 * execution, or does nothing (NONE).
 */
export interface SlaDefinition {
  readonly id: string;
  readonly type: (typeof SLA_TYPES)[number];
  readonly behavior: (typeof SLA_BEHAVIORS)[number];
  /** MAX_DURATION: ISO-8601. */
  readonly duration?: string;
  /** EXECUTION_ASSERTION: an expression. */
  readonly assert?: string;
  /** Added to the execution's labels when the SLA is violated (whatever the behavior). */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A flow output: rendered when the execution ends. */
export interface FlowOutputDefinition {
  readonly id: string;
  readonly type: string;
  readonly value: JsonValue;
  readonly description?: string;
  /** `required: false`: left out when it cannot render or renders nothing, instead of failing the execution. */
  readonly required?: false;
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
  /**
   * Run once the flow's outcome is known (after `errors` and `finally`), with `{{ execution.state }}`
   * reading it; their own failures do not change it (Kestra >= 0.22, docs: workflow-components/afterexecution).
   */
  readonly afterExecution?: readonly TaskDefinition[];
  readonly outputs?: readonly FlowOutputDefinition[];
  readonly retry?: RetryPolicy;
  readonly sla?: readonly SlaDefinition[];
  readonly concurrency?: ConcurrencyLimit;
  /** ISO-8601 duration: the execution is killed when it runs longer. */
  readonly timeout?: string;
  readonly disabled?: boolean;
  /** Higher first when the worker pool is saturated. */
  readonly priority?: number;
  /** Flow `variables`, visible as `vars` in expressions. */
  readonly variables?: JsonObject;
  /** Named locks the whole execution holds while it runs (names or expressions; see lock-names.ts). */
  readonly locks?: readonly string[];
  /** Which savepoints its executions keep to be rewound to (ALL, NONE, LAST, LAST_<n>, a duration). */
  readonly savepointRetention?: string;
  /** Flows that run around every execution of this one, the first outermost (Cloudomation's wrappers). */
  readonly wrappers?: readonly WrapperReference[];
  readonly triggers: readonly JsonValue[];
  readonly extra: JsonObject;
}
