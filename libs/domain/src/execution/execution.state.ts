import type { FlowDefinition } from '../flow/flow.model.js';
import type { JsonObject } from '../shared/json.js';
import type { ExecutionWatcher, ReplayedTaskRunData, TimerPurpose } from './execution.events.js';
import type { State } from './state.js';
import type { TaskMetric } from './task-metric.js';
import type { ExecutionOptions } from './run-options.js';
import type { LockClaim } from './locks/lock-claim.js';
import type { BreakpointHold } from './breakpoints/breakpoint-hold.js';
import type { RestoredPoint } from './rewind/rewind.events.js';
import type { WrappedRun } from './wrappers/wrapped-run.js';

export interface StateChange {
  readonly state: State;
  readonly date: string;
}

export interface Attempt {
  readonly number: number;
  readonly state: State;
  readonly startDate?: string;
  readonly endDate?: string;
  readonly error?: string;
  /** What the worker reported with this attempt's result (task metrics live with their attempt). */
  readonly metrics?: readonly TaskMetric[];
  /** `logToFile`: the internal-storage file of this attempt's log lines (Kestra's TaskRunAttempt.logFile). */
  readonly logFile?: string;
  /** Files this attempt wrote into its WorkingDirectory (path → kestra:/// URI). */
  readonly workingFiles?: Readonly<Record<string, string>>;
}

export interface TaskRun {
  readonly id: string;
  readonly taskId: string;
  readonly parentTaskRunId?: string;
  readonly value?: string;
  /** Children of a LoopUntil/WaitFor: the iteration they ran in. */
  readonly iteration?: number;
  readonly state: State;
  readonly stateHistory: readonly StateChange[];
  readonly attempts: readonly Attempt[];
  readonly outputs?: JsonObject;
  readonly startDate?: string;
  readonly endDate?: string;
  readonly error?: string;
  /** The child task run whose failure `error` carries up (a flowable parent that did not fail on its own). */
  readonly causeTaskRunId?: string;
  /** Loops: the values iterated over, rendered when the loop started. */
  readonly iterations?: readonly string[];
  /** Subflow task runs: the child execution of the latest attempt. */
  readonly childExecutionId?: string;
  /** ForEachItem `_items`: the subflow executions that ended, with their state and flow outputs. */
  readonly endedChildren?: readonly { readonly childExecutionId: string; readonly iteration: number; readonly state: string; readonly outputs?: JsonObject }[];
  /** Stopped at a breakpoint before its first step (see breakpoints/). */
  readonly breakpoint?: BreakpointHold;
  /** Its breakpoint was answered: it does not stop there again. */
  readonly breakpointPassed?: true;
}

/** A durable timer the execution is waiting for (scheduled, neither fired nor cancelled). */
export interface PendingTimer {
  readonly timerId: string;
  readonly fireAt: string;
  readonly purpose: TimerPurpose;
  readonly taskRunId?: string;
}

/** The folded state of one execution; `undefined` before ExecutionCreated. */
export interface Execution {
  readonly id: string;
  readonly namespace: string;
  readonly flowId: string;
  readonly flowRevision: number;
  readonly state: State;
  readonly stateHistory: readonly StateChange[];
  readonly inputs: JsonObject;
  readonly outputs?: JsonObject;
  readonly labels: Readonly<Record<string, string>>;
  /** Set once a SetVariables/UnsetVariables task ran: the whole `vars` from then on (the flow's `variables` before). */
  readonly variables?: JsonObject;
  readonly trigger?: JsonObject;
  readonly originalId: string;
  readonly parentId?: string;
  readonly parent?: { readonly executionId: string; readonly taskRunId: string };
  /** The n-th execution of a flow-retry chain (CREATE_NEW_EXECUTION); 1 otherwise. */
  readonly attemptNumber: number;
  /** When the chain's first execution was created: a retry's `maxDuration` counts from it (absent: this one's start). */
  readonly originalCreatedDate?: string;
  readonly concurrencyKey?: string;
  /** Set on a replay; `taskRuns` are the reused ones, restored when the execution starts. */
  readonly replayOf?: { readonly executionId: string; readonly fromTaskId: string; readonly taskRuns?: readonly ReplayedTaskRunData[] };
  /** Per-run options (priority, maxRuntime, scheduledAt, name, description, startedBy, status message). */
  readonly options?: ExecutionOptions;
  /** A development run of a draft source: the flow it runs (no deployed revision holds it). */
  readonly draftFlow?: FlowDefinition;
  /** WaitForExecution tasks of other executions waiting for this one to reach a state or end (dropped once told). */
  readonly watchers?: readonly ExecutionWatcher[];
  /** The flow's `locks`, rendered when it was created (sorted, distinct). */
  readonly locks?: readonly string[];
  /** Named-lock claims of the execution and its task runs, waiting or held (see locks/). */
  readonly lockClaims?: readonly LockClaim[];
  /** Step mode as the operator last set it (STEP on, CONTINUE off); absent: the run option `stepMode`. */
  readonly stepping?: boolean;
  /** Timers scheduled and still pending. */
  readonly timers: readonly PendingTimer[];
  /** Why the execution is being killed / was killed (KillExecution reason, flow timeout). */
  readonly killReason?: string;
  /** Set once a flow retry created the next execution of the chain. */
  readonly retriedAs?: string;
  /** In creation order. */
  readonly taskRuns: readonly TaskRun[];
  readonly startDate: string;
  readonly endDate?: string;
  readonly error?: string;
  /** A wrapper execution: the start it stands for (Cloudomation's wrappers). */
  readonly wrapped?: WrappedRun;
  /** The flow's `savepointRetention` when it set one (rewind/savepoints.ts has the default). */
  readonly savepointRetention?: string;
  /** Points of its own history the execution can be rewound to, oldest first. */
  readonly savepoints?: readonly Savepoint[];
  /** Every rewind so far, oldest first. */
  readonly rewinds?: readonly RewindRecord[];
  /** Attempts of task runs a rewind abandoned, by task run id: a run created again under that id goes on from them. */
  readonly abandonedAttempts?: Readonly<Record<string, readonly Attempt[]>>;
  /** Stream revision of the last event folded in (0-based); -1 for none. */
  readonly revision: number;
}

export type ExecutionState = Execution | undefined;

/** One rewind, as the execution remembers it (ExecutionRewound without what it restored). */
export interface RewindRecord {
  readonly rewindId: string;
  /** The revision of the ExecutionRewound event itself. */
  readonly revision: number;
  readonly toRevision: number;
  readonly taskId: string;
  readonly taskRunId: string;
  readonly reason?: string;
  readonly by?: string;
  readonly at: string;
}

/** The parts of an execution a rewind puts back; the rest (labels, options, watchers) is steering, not history. */
export type SavepointSnapshot = RestoredPoint<TaskRun, PendingTimer>;

/**
 * A point of the execution's own history it can be rewound to (rewind/savepoints.ts takes them):
 * the state right before task run `taskRunId` was created, after the event at `revision`.
 */
export interface Savepoint {
  readonly revision: number;
  readonly taskId: string;
  readonly taskRunId: string;
  readonly at: string;
  /**
   * What a rewind restores. Kept in memory by whoever decides (the executor folds the stream);
   * read models drop it (`withoutSavepointSnapshots`): the rewind event carries what it restored.
   */
  readonly snapshot?: SavepointSnapshot;
}
