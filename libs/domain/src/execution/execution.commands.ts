import type { RewindExecution } from './rewind/rewind.commands.js';
import type { WrappedRun } from './wrappers/wrapped-run.js';

export type { RewindExecution } from './rewind/rewind.commands.js';
import type { ExecutionOptions } from './run-options.js';
import type { FlowDefinition } from '../flow/flow.model.js';
import type { JsonObject } from '../shared/json.js';
import type { ExecutionWatcher, ReplayedTaskRunData } from './execution.events.js';
import type { State } from './state.js';
import type { TaskMetric } from './task-metric.js';
import type { GrantLocks, RevokeLock } from './locks/named-locks.commands.js';
import type { ResolveBreakpoint } from './breakpoints/breakpoint.commands.js';

export type { GrantLocks, RevokeLock } from './locks/named-locks.commands.js';
export type { ResolveBreakpoint } from './breakpoints/breakpoint.commands.js';

/**
 * Commands to the Execution aggregate. Imperative; every command carries `now`
 * (ISO-8601 UTC) because the domain never reads a clock.
 */
export type ExecutionCommand =
  | CreateExecution
  | AdvanceExecution
  | StartTaskRun
  | CompleteTaskRun
  | FailTaskRun
  | KillExecution
  | PauseExecution
  | ResumeExecution
  | ResumeAnswered
  | RestartExecution
  | FireTimer
  | ChildExecutionEnded
  | ReportTaskRunAlive
  | ExpireTaskRunLease
  | UpdateExecution
  | WatchExecution
  | ResolveWatchTarget
  | WatchedExecutionEnded
  | GrantLocks
  | RevokeLock
  | ResolveBreakpoint
  | RewindExecution;

export type ExecutionCommandType = ExecutionCommand['type'];

export interface CreateExecution {
  readonly type: 'CreateExecution';
  readonly executionId: string;
  /** The flow revision to run (parsed). */
  readonly flow: FlowDefinition;
  /** Raw inputs as the caller sent them; validated and typed by the decider. */
  readonly inputs: Readonly<Record<string, unknown>>;
  /**
   * Kestra's Flow trigger (io.kestra.plugin.core.trigger.Flow#evaluate): the trigger's rendered
   * `inputs` become the execution's as they are, not validated against the flow's (a required input
   * the trigger does not give is no error); declared defaults still fill the gaps.
   */
  readonly inputsAsGiven?: true;
  readonly labels?: Readonly<Record<string, string>>;
  readonly trigger?: JsonObject;
  readonly originalId?: string;
  readonly parentId?: string;
  /** Set when a Subflow task created this execution: whom to tell when it ends. */
  readonly parent?: ParentReference;
  /** Set when the application replays an execution into this new one. */
  readonly replayOf?: ReplayReference;
  /** Flow retry CREATE_NEW_EXECUTION: the n-th execution of the chain (1 when absent). */
  readonly attemptNumber?: number;
  /** A retry's new execution: when the chain's first execution was created (a retry's `maxDuration` counts from it). */
  readonly originalCreatedDate?: string;
  /**
   * Facts about the flow's concurrency limit the application knows and the domain cannot:
   * how many executions of this flow (and key) are running now. Absent = no limit applies.
   */
  readonly concurrency?: { readonly running: number };
  /** Per-run options (checked by the decider: a bad one is refused with the field's name). */
  readonly options?: ExecutionOptions;
  /** `flow` is a draft (not deployed): it is kept in ExecutionCreated and every decision uses it. Development mode only. */
  readonly draft?: boolean;
  /** This execution is a wrapper: the start it stands for (its RunWrapped task runs it). */
  readonly wrapped?: WrappedRun;
  readonly now: string;
}

/**
 * Steers an execution at any time, even ended (Cloudomation lets an operator annotate any
 * execution): `labels` replace the execution's labels (merged by the caller if it wants),
 * `message` / `priority` / `name` / `description` replace those fields. Only what is given changes.
 */
export interface UpdateExecution {
  readonly type: 'UpdateExecution';
  readonly executionId: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly message?: string;
  readonly priority?: number;
  readonly name?: string;
  readonly description?: string;
  readonly now: string;
}

/** A WaitForExecution task of `watcher` asks this execution to tell it when it reaches one of `watcher.states` or ends. */
export interface WatchExecution {
  readonly type: 'WatchExecution';
  readonly executionId: string;
  readonly watcher: ExecutionWatcher;
  readonly now: string;
}

/**
 * A WaitForExecution task that selects its target by labels: `match` is filled by the executor
 * before the decision (the newest execution of the waiter's namespace or below whose labels hold
 * all of `labels`, from the read model): an id, null when none has them, absent when the executor
 * has no read model to ask.
 */
export interface ResolveWatchTarget {
  readonly type: 'ResolveWatchTarget';
  readonly executionId: string;
  readonly taskRunId: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly match?: string | null;
  readonly now: string;
}

/** The execution a WaitForExecution task waits for reached `state` (a wanted one or an end), or cannot be watched (`error`). */
export interface WatchedExecutionEnded {
  readonly type: 'WatchedExecutionEnded';
  readonly executionId: string;
  readonly taskRunId: string;
  readonly watchedExecutionId: string;
  readonly state: State;
  readonly error?: string;
  readonly now: string;
}

export interface ParentReference {
  readonly executionId: string;
  readonly taskRunId: string;
}

/**
 * A replay: the new execution reuses the outputs of the task runs that ended before `fromTaskId`
 * in `executionId`. `taskRuns` are the reused task runs (ids of the old execution; the decider
 * gives them new ids and keeps their parent links).
 */
export interface ReplayReference {
  readonly executionId: string;
  readonly fromTaskId: string;
  readonly taskRuns?: readonly ReplayedTaskRun[];
}

export type ReplayedTaskRun = ReplayedTaskRunData;
/**
 * Move the execution forward: start it if it was just created (or queued and a slot freed).
 * `concurrency` (optional) tells how many executions of the same flow/key are running now; when
 * the flow's limit is reached, the decider queues / cancels / fails per `concurrency.behavior`.
 * Idempotent.
 */
export interface AdvanceExecution {
  readonly type: 'AdvanceExecution';
  readonly executionId: string;
  readonly concurrency?: { readonly running: number };
  readonly now: string;
}

/** A worker began an attempt. Idempotent. */
export interface StartTaskRun {
  readonly type: 'StartTaskRun';
  readonly executionId: string;
  readonly taskRunId: string;
  readonly attempt: number;
  readonly workerId?: string;
  readonly now: string;
}

/** A worker finished an attempt successfully. Idempotent. */
export interface CompleteTaskRun {
  readonly type: 'CompleteTaskRun';
  readonly executionId: string;
  readonly taskRunId: string;
  readonly attempt: number;
  readonly outputs: JsonObject;
  /** The task's metrics (counters, timers), stored with the attempt. */
  readonly metrics?: readonly TaskMetric[];
  /** `logToFile`: the internal-storage file holding the attempt's log lines. */
  readonly logFile?: string;
  /** Files the attempt wrote into its WorkingDirectory (path → kestra:/// URI): LocalFiles `inputs`. */
  readonly workingFiles?: Readonly<Record<string, string>>;
  readonly now: string;
}

/** A worker's attempt failed. Idempotent. */
export interface FailTaskRun {
  readonly type: 'FailTaskRun';
  readonly executionId: string;
  readonly taskRunId: string;
  readonly attempt: number;
  readonly error: string;
  /** The worker aborted the attempt on a kill request: the task run ends KILLED, never retried. */
  readonly killed?: boolean;
  readonly metrics?: readonly TaskMetric[];
  readonly logFile?: string;
  readonly now: string;
}

/** CREATED/QUEUED -> KILLED; RUNNING/PAUSED -> KILLING, then KILLED once nothing runs. Idempotent. */
export interface KillExecution {
  readonly type: 'KillExecution';
  readonly executionId: string;
  readonly reason?: string;
  readonly now: string;
}

/** RUNNING -> PAUSED: no new task run starts until ResumeExecution. */
export interface PauseExecution {
  readonly type: 'PauseExecution';
  readonly executionId: string;
  readonly now: string;
}

/**
 * Resume a PAUSED execution or a paused `Pause` task. `approve: false` (reject) fails the paused
 * task runs. `inputs` are the Pause task's `onResume` inputs (its outputs).
 */
export interface ResumeExecution {
  readonly type: 'ResumeExecution';
  readonly executionId: string;
  readonly approve?: boolean;
  readonly inputs?: JsonObject;
  /** Sent for a `Resume` task: the task run told whether this execution was PAUSED (ExecutionResumeAnswered). */
  readonly requestedBy?: { readonly executionId: string; readonly taskRunId: string; readonly namespace?: string };
  readonly now: string;
}

/**
 * To the execution of a `Resume` task: whether its target was PAUSED and so resumed (the task
 * run ends SUCCESS) or not (it ends FAILED with `error`, as Kestra's ExecutionService.resume
 * throws). Idempotent: a task run that ended already ignores it.
 */
export interface ResumeAnswered {
  readonly type: 'ResumeAnswered';
  readonly executionId: string;
  readonly taskRunId: string;
  readonly targetExecutionId: string;
  readonly resumed: boolean;
  readonly error?: string;
  readonly now: string;
}

/** FAILED/KILLED/WARNING -> RESTARTED -> RUNNING; failed task runs get a new attempt. */
export interface RestartExecution {
  readonly type: 'RestartExecution';
  readonly executionId: string;
  readonly now: string;
}

/** Sent by the scheduler when a durable timer is due. A duplicate fire decides nothing. */
export interface FireTimer {
  readonly type: 'FireTimer';
  readonly executionId: string;
  readonly timerId: string;
  /** A scheduled start (`scheduledAt`) of a flow with a concurrency limit: as on AdvanceExecution. */
  readonly concurrency?: { readonly running: number };
  readonly now: string;
}

/** A Subflow's child execution ended (sent to the parent's stream). */
export interface ChildExecutionEnded {
  readonly type: 'ChildExecutionEnded';
  readonly executionId: string;
  readonly childExecutionId: string;
  readonly taskRunId: string;
  readonly state: State;
  /** The child's flow outputs. */
  readonly outputs?: JsonObject;
  /** The child's task outputs tree (`outputs.<taskId>...`), for the Subflow task's own `outputs`. */
  readonly taskOutputs?: JsonObject;
  /** Why the child failed (its error), shown in the Subflow task run's error. */
  readonly error?: string;
  /**
   * The child execution could not even be created (unknown or disabled flow, bad inputs): the
   * Subflow task run fails whatever `transmitFailed` says, as in Kestra.
   */
  readonly notCreated?: boolean;
  readonly now: string;
}

/** Lease renewal from the worker running an attempt (decides nothing in the domain yet). */
export interface ReportTaskRunAlive {
  readonly type: 'ReportTaskRunAlive';
  readonly executionId: string;
  readonly taskRunId: string;
  readonly attempt: number;
  readonly workerId: string;
  readonly now: string;
}

/**
 * The worker running this attempt stopped renewing its lease (it died or lost the network):
 * sent by the scheduler's lease check. If the attempt is still the running one it ends FAILED
 * ('worker lost') and a NEW attempt is dispatched whatever the retry policy says; stale -> [].
 */
export interface ExpireTaskRunLease {
  readonly type: 'ExpireTaskRunLease';
  readonly executionId: string;
  readonly taskRunId: string;
  readonly attempt: number;
  readonly now: string;
}
