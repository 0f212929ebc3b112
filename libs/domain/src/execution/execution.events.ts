import type { FlowDefinition } from '../flow/flow.model.js';
import type { ExecutionOptions } from './run-options.js';
import type { JsonObject, JsonValue } from '../shared/json.js';
import type { State } from './state.js';
import type { TaskJob } from './task-job.js';
import type { TaskMetric } from './task-metric.js';
import type { NamedLockEvent } from './locks/named-locks.events.js';
import type { BreakpointEvent } from './breakpoints/breakpoint.events.js';
import type { ExecutionRewound } from './rewind/rewind.events.js';
import type { WrappedRun } from './wrappers/wrapped-run.js';

export type { ExecutionRewound } from './rewind/rewind.events.js';

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
  | ExecutionFailed
  | TaskRunAttemptCreated
  | TaskRunStateChanged
  | ExecutionStateChanged
  | TimerScheduled
  | TimerCancelled
  | TimerFired
  | ChildExecutionRequested
  | TaskRunKillRequested
  | ExecutionRetryRequested
  | ExecutionLabelsChanged
  | ExecutionResumeRequested
  | ExecutionResumeAnswered
  | ExecutionVariablesChanged
  | ExecutionUpdated
  | ExecutionWatchRequested
  | ExecutionWatched
  | ExecutionEndNotified
  | TaskRunProgressed
  | NamedLockEvent
  | BreakpointEvent
  | ExecutionRewound;

export type ExecutionEventType = ExecutionEvent['type'];
/**
 * The schema version written into every new event's metadata. History of the shapes:
 * - v1: the first shape.
 * - v2: ChildExecutionRequested's `revision` is named `flowRevision` (it is the child flow's
 *   revision, not a stream revision; the same name ExecutionCreated uses). `upcastExecutionEvent`
 *   turns v1 events into v2 on every read.
 */
export const EXECUTION_EVENT_SCHEMA_VERSION = 2;

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
    /** Set when a Subflow task created this execution: whom to tell when it ends. */
    readonly parent?: { readonly executionId: string; readonly taskRunId: string };
    /** 1 for a first execution; n+1 for the one a flow retry CREATE_NEW_EXECUTION started. */
    readonly attemptNumber?: number;
    /** A retry's new execution: when the chain's first execution was created (Kestra's metadata.originalCreatedDate). */
    readonly originalCreatedDate?: string;
    /** The flow's `concurrency.key`, rendered at creation; executions share a slot pool per key. */
    readonly concurrencyKey?: string;
    /**
     * The flow's `concurrency.limit` when it has one: the execution holds a slot of its flow's
     * (and key's) pool while it runs, which its end releases (the relay reads this).
     */
    readonly concurrencyLimit?: number;
    /** Per-run options chosen at start (priority, maxRuntime, scheduledAt, name, who started it...). */
    readonly options?: ExecutionOptions;
    /** The flow's `savepointRetention` (which savepoints the execution keeps to be rewound to). */
    readonly savepointRetention?: string;
    /** A wrapper execution: the start it stands for (Cloudomation's wrappers). */
    readonly wrapped?: WrappedRun;
    /** A development run of a draft source (revision 0): the flow it runs, as no revision holds it. */
    readonly draftFlow?: FlowDefinition;
    /** The flow's `locks`, rendered for this execution (sorted, distinct). */
    readonly locks?: readonly string[];
    /** Set when this execution replays another one (the reused task runs follow at start). */
    readonly replayOf?: {
      readonly executionId: string;
      readonly fromTaskId: string;
      readonly taskRuns?: readonly ReplayedTaskRunData[];
    };
    readonly at: string;
  };
}

/**
 * A task run of the replayed execution whose outcome the replay reuses. `id` and
 * `parentTaskRunId` (the old ids), when given, link it to its reused parent exactly; otherwise
 * `parentTaskId` does (the latest reused task run of that task).
 */
export interface ReplayedTaskRunData {
  readonly id?: string;
  readonly taskId: string;
  readonly parentTaskRunId?: string;
  readonly parentTaskId?: string;
  readonly value?: string;
  readonly state: 'SUCCESS' | 'WARNING';
  readonly outputs?: JsonObject;
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
    /** Children of a LoopUntil/WaitFor: the loop iteration (1, 2, ...) they run in. */
    readonly iteration?: number;
    /** Present for runnable tasks: what the worker pool must run (properties already rendered). */
    readonly job?: TaskJob;
    readonly at: string;
  };
}

export interface TaskRunStarted {
  readonly type: 'TaskRunStarted';
  readonly data: { readonly taskRunId: string; readonly attempt: number; readonly workerId?: string; readonly at: string };
}

/** An attempt succeeded. The task run ends SUCCESS, or WARNING (`warningOnRetry` after retries). */
export interface TaskRunSucceeded {
  readonly type: 'TaskRunSucceeded';
  readonly data: {
    readonly taskRunId: string;
    readonly attempt: number;
    readonly outputs: JsonObject;
    readonly taskRunState?: 'SUCCESS' | 'WARNING';
    /** The task's metrics as the worker reported them with this attempt. */
    readonly metrics?: readonly TaskMetric[];
    /** `logToFile`: the internal-storage file holding the attempt's log lines (Kestra's TaskRunAttempt.logFile). */
    readonly logFile?: string;
    /** Files the attempt wrote into its WorkingDirectory (path → kestra:/// URI), seen by the tasks after it. */
    readonly workingFiles?: Readonly<Record<string, string>>;
    readonly at: string;
  };
}

/**
 * An attempt failed. The task run ends FAILED, or WARNING (`allowFailure`; SUCCESS with `allowWarning` too), or waits for its next
 * attempt in RETRYING (a retry TimerScheduled / TaskRunAttemptCreated follows).
 */
export interface TaskRunFailed {
  readonly type: 'TaskRunFailed';
  readonly data: {
    readonly taskRunId: string;
    readonly attempt: number;
    readonly error: string;
    readonly taskRunState?: 'FAILED' | 'WARNING' | 'SUCCESS' | 'RETRYING';
    /** Outputs a failed attempt still produced (a Subflow's failed child). */
    readonly outputs?: JsonObject;
    readonly metrics?: readonly TaskMetric[];
    readonly logFile?: string;
    readonly at: string;
  };
}

export interface ExecutionSucceeded {
  readonly type: 'ExecutionSucceeded';
  readonly data: { readonly outputs?: JsonObject; readonly at: string };
}

export interface ExecutionFailed {
  readonly type: 'ExecutionFailed';
  readonly data: { readonly error: string; readonly at: string };
}

/**
 * A new attempt of an existing task run (retry or restart): the task run goes RUNNING again and
 * the attempt waits for a worker. `job` is present for runnable tasks (publish it like
 * TaskRunCreated's job).
 */
export interface TaskRunAttemptCreated {
  readonly type: 'TaskRunAttemptCreated';
  readonly data: { readonly taskRunId: string; readonly attempt: number; readonly job?: TaskJob; readonly at: string };
}

/**
 * Any task-run state change that is not a worker attempt's start/success/failure: flowable
 * parents (RUNNING, SUCCESS, WARNING, FAILED), Pause (PAUSED), kills (KILLED), restarts
 * (RESTARTED). `outputs`, when present, replace the task run's outputs.
 */
export interface TaskRunStateChanged {
  readonly type: 'TaskRunStateChanged';
  readonly data: {
    readonly taskRunId: string;
    readonly state: State;
    readonly error?: string;
    /**
     * Set when `error` is a child task run's failure carried up to its flowable parent, not a
     * failure of the parent itself: such an error has no log line of its own (as in Kestra).
     */
    readonly causeTaskRunId?: string;
    readonly outputs?: JsonObject;
    /** ForEach / EachSequential / EachParallel: the loop values, rendered once when the loop starts. */
    readonly iterations?: readonly string[];
    readonly at: string;
  };
}

/**
 * Execution state changes other than start / success / failure: PAUSED, RUNNING (resumed or
 * restarted), KILLING, KILLED, RESTARTED, RETRYING, RETRIED, CANCELLED, QUEUED, WARNING (may carry
 * the flow outputs).
 */
export interface ExecutionStateChanged {
  readonly type: 'ExecutionStateChanged';
  readonly data: {
    readonly state: State;
    readonly reason?: string;
    readonly error?: string;
    readonly outputs?: JsonObject;
    readonly at: string;
  };
}

export const TIMER_PURPOSES = ['retry', 'sleep', 'pause', 'kill', 'timeout', 'loop', 'start'] as const;
export type TimerPurpose = (typeof TIMER_PURPOSES)[number];

/** A durable timer to keep: the scheduler sends `FireTimer { timerId }` at `fireAt`. */
export interface TimerScheduled {
  readonly type: 'TimerScheduled';
  readonly data: {
    readonly timerId: string;
    readonly fireAt: string;
    readonly purpose: TimerPurpose;
    readonly taskRunId?: string;
    /** A line the task logs as it starts waiting (Sleep: Kestra's `Waiting for PT1S`). */
    readonly log?: { readonly taskId: string; readonly level: 'INFO'; readonly message: string };
    readonly at: string;
  };
}

/** A timer that must not fire any more (its subject ended first). */
export interface TimerCancelled {
  readonly type: 'TimerCancelled';
  readonly data: { readonly timerId: string; readonly at: string };
}

/** A timer fired and was acted on; a duplicate FireTimer decides nothing. */
export interface TimerFired {
  readonly type: 'TimerFired';
  readonly data: { readonly timerId: string; readonly at: string };
}

/**
 * A Subflow task asks for a child execution. The application creates it (CreateExecution with
 * `executionId: childExecutionId`, `parent: { executionId, taskRunId }`, `parentId`, these
 * `inputs`, `labels`, `trigger`), exactly once thanks to the deterministic id.
 */
export interface ChildExecutionRequested {
  readonly type: 'ChildExecutionRequested';
  readonly data: {
    readonly childExecutionId: string;
    readonly taskRunId: string;
    readonly attempt: number;
    readonly namespace: string;
    readonly flowId: string;
    /** The child flow's revision to run (latest when absent). Schema v1 called it `revision`. */
    readonly flowRevision?: number;
    readonly inputs: JsonObject;
    readonly labels: Readonly<Record<string, string>>;
    readonly trigger: JsonObject;
    readonly wait: boolean;
    readonly transmitFailed: boolean;
    /** RunWrapped: the layers still to run inside the child (it is a wrapper too). */
    readonly wrapped?: WrappedRun;
    /** RunWrapped: the run options of the wrapped start. */
    readonly options?: ExecutionOptions;
    /** RunWrapped: the child's own declared wrappers are not applied again (they are in the chain). */
    readonly unwrapped?: true;
    readonly at: string;
  };
}

/**
 * Tell the worker holding this attempt to abort it (killExecution, task timeout). For a Subflow
 * task run, `childExecutionId` names the child execution to kill (KillExecution to it).
 */
export interface TaskRunKillRequested {
  readonly type: 'TaskRunKillRequested';
  readonly data: {
    readonly taskRunId: string;
    readonly attempt: number;
    readonly childExecutionId?: string;
    /** Why, when it is not the execution's own kill (a rewind abandoned the branch that started it). */
    readonly reason?: string;
    readonly at: string;
  };
}

/**
 * Flow retry `behavior: CREATE_NEW_EXECUTION`: this execution ends RETRIED and the application
 * must create `newExecutionId` (CreateExecution with the same flow revision, inputs, labels,
 * `originalId` and `attemptNumber`), not before `notBefore` (the retry backoff).
 */
export interface ExecutionRetryRequested {
  readonly type: 'ExecutionRetryRequested';
  readonly data: {
    readonly newExecutionId: string;
    readonly originalId: string;
    readonly namespace: string;
    readonly flowId: string;
    readonly flowRevision: number;
    readonly inputs: JsonObject;
    readonly labels: Readonly<Record<string, string>>;
    readonly attemptNumber: number;
    readonly notBefore: string;
    readonly at: string;
  };
}

/**
 * The execution's labels changed: `labels` is the whole new set. A flow SLA's violation adds its
 * `labels` (no `taskRunId`); the Labels task sets them (its `taskRunId`). No intent: the projector folds it.
 */
/**
 * An operator (no `taskRunId`) or a StatusMessage task (its `taskRunId`) steered the execution:
 * its status `message`, `priority`, `name` or `description` (only the fields given change). No
 * intent: the projector folds it; the next dispatched attempts carry the new priority.
 */
export interface ExecutionUpdated {
  readonly type: 'ExecutionUpdated';
  readonly data: {
    readonly message?: string;
    readonly priority?: number;
    readonly name?: string;
    readonly description?: string;
    readonly taskRunId?: string;
    readonly at: string;
  };
}

/**
 * A WaitForExecution task asks to watch its target: intent, a WatchExecution command to the target
 * (`targetExecutionId`), or, for a target selected by `targetLabels`, a ResolveWatchTarget command to
 * this execution (the executor looks the labels up in the read model, then this event follows with the id).
 */
export interface ExecutionWatchRequested {
  readonly type: 'ExecutionWatchRequested';
  /** `namespace`: the waiting execution's (the target decides whether it may be watched from there). */
  readonly data: {
    readonly taskRunId: string;
    readonly targetExecutionId?: string;
    readonly targetLabels?: Readonly<Record<string, string>>;
    readonly namespace: string;
    /** The states the task waits for (absent in logs written before non-terminal states could be awaited: an end). */
    readonly states?: readonly State[];
    readonly at: string;
  };
}

/** Another execution's task waits for this one to reach `states` or end (kept in `watchers`). No intent. */
export interface ExecutionWatched {
  readonly type: 'ExecutionWatched';
  readonly data: { readonly watcher: ExecutionWatcher; readonly at: string };
}

export interface ExecutionWatcher {
  readonly executionId: string;
  readonly taskRunId: string;
  readonly namespace: string;
  /** Told when this execution enters one of them (RUNNING, PAUSED... or an end); told of any end anyway. */
  readonly states?: readonly State[];
}

/**
 * This execution reached a state a watcher waits for, or ended (or refused the watch: `error`);
 * the watcher is dropped. Intent: WatchedExecutionEnded to the watcher. (The name is from when
 * only ends were told.)
 */
export interface ExecutionEndNotified {
  readonly type: 'ExecutionEndNotified';
  readonly data: {
    readonly watcher: { readonly executionId: string; readonly taskRunId: string };
    readonly state: State;
    readonly error?: string;
    readonly at: string;
  };
}

export interface ExecutionLabelsChanged {
  readonly type: 'ExecutionLabelsChanged';
  readonly data: { readonly labels: Readonly<Record<string, string>>; readonly taskRunId?: string; readonly at: string };
}

/**
 * The `Resume` task asked for the PAUSED execution `targetExecutionId` (this one by default) to
 * resume, with `inputs` for its `onResume`. Intent: a ResumeExecution command to that execution.
 */
export interface ExecutionResumeRequested {
  readonly type: 'ExecutionResumeRequested';
  readonly data: {
    readonly taskRunId: string;
    readonly targetExecutionId: string;
    readonly namespace?: string;
    readonly flowId?: string;
    readonly inputs?: JsonObject;
    /** The requesting execution's namespace: the target resumes only for its own namespace or a parent. */
    readonly requesterNamespace?: string;
    readonly at: string;
  };
}

/**
 * This execution answers a `Resume` task's request (ResumeExecution with `requestedBy`): it was
 * PAUSED and resumed, or it was in `state` and nothing changed. Intent: a ResumeAnswered command
 * to the requesting execution.
 */
export interface ExecutionResumeAnswered {
  readonly type: 'ExecutionResumeAnswered';
  readonly data: {
    readonly requestedBy: { readonly executionId: string; readonly taskRunId: string; readonly namespace?: string };
    readonly resumed: boolean;
    readonly state: State;
    /** Why it was not resumed, when it is not "not paused" (another namespace's request). */
    readonly error?: string;
    readonly at: string;
  };
}

/**
 * A SetVariables or UnsetVariables task changed the execution's variables: `variables` is the
 * whole new `vars` map (the flow's `variables` with the change applied). No intent.
 */
export interface ExecutionVariablesChanged {
  readonly type: 'ExecutionVariablesChanged';
  readonly data: { readonly variables: JsonObject; readonly taskRunId: string; readonly at: string };
}

/**
 * A running flowable moved on without changing state: ForEachItem's `_items` task run counts a
 * subflow execution that ended (`ended`, kept on the task run) and shows the new `outputs`
 * (`iterations` per state). No intent.
 */
export interface TaskRunProgressed {
  readonly type: 'TaskRunProgressed';
  readonly data: {
    readonly taskRunId: string;
    readonly outputs?: JsonObject;
    readonly ended?: { readonly childExecutionId: string; readonly iteration: number; readonly state: string; readonly outputs?: JsonObject };
    /** A restart runs these batches again: they no longer count as ended. */
    readonly reopened?: readonly number[];
    readonly at: string;
  };
}

/** Convenience for places that only need the value shape. */
export type ExecutionEventData = { readonly [key: string]: JsonValue | undefined };
