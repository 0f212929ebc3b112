import type { Attempt, BreakpointHold, ExecutionOptions, FlowDefinition, LockClaim, RewindRecord, Savepoint, State, StateChange, WrappedRun } from '@chronicle/domain';

/**
 * The read side's own types: what the query service answers and live updates carry (deltas of
 * ExecutionView). Built from the domain's fold by `toExecutionView` only; dates as ISO-8601 strings.
 */
export interface TaskRunView {
  readonly id: string;
  readonly taskId: string;
  readonly parentTaskRunId?: string;
  readonly value?: string;
  readonly state: State;
  readonly stateHistory: readonly StateChange[];
  readonly attempts: readonly Attempt[];
  readonly outputs?: unknown;
  readonly startDate?: string;
  readonly endDate?: string;
  readonly error?: string;
  /** Stopped at a breakpoint before its first step, with its rendered properties. */
  readonly breakpoint?: BreakpointHold;
}

export interface ExecutionView {
  readonly id: string;
  readonly namespace: string;
  readonly flowId: string;
  readonly flowRevision: number;
  readonly state: State;
  readonly stateHistory: readonly StateChange[];
  readonly inputs: unknown;
  readonly outputs?: unknown;
  readonly labels: Readonly<Record<string, string>>;
  readonly trigger?: unknown;
  /** In creation order. */
  readonly taskRuns: readonly TaskRunView[];
  readonly originalId: string;
  readonly parentId?: string;
  readonly startDate: string;
  readonly endDate?: string;
  readonly error?: string;
  /** Per-run options and the status message (priority, maxRuntime, scheduledAt, name, startedBy...). */
  readonly options?: ExecutionOptions;
  /** Why it was killed (a kill request's reason, a timeout / maxRuntime). */
  readonly killReason?: string;
  /** Named-lock claims of the execution and its task runs, waiting or held. */
  readonly lockClaims?: readonly LockClaim[];
  /** Step mode as the operator last set it at a breakpoint. */
  readonly stepping?: boolean;
  /** Points it can be rewound to (without their snapshots), and the rewinds so far. */
  readonly savepoints?: readonly Savepoint[];
  readonly rewinds?: readonly RewindRecord[];
  /** A wrapper execution: the start it runs around. */
  readonly wrapped?: WrappedRun;
  /** Stream revision of the last event folded in. */
  readonly revision: number;
}

/** An execution in a page of `listExecutions`, with its place in the list. */
export interface ListedExecution extends ExecutionView {
  /** Opaque cursor of this execution in `listExecutions`. */
  readonly cursor: string;
}

export interface ListExecutionsInput {
  /** This namespace and its children. */
  readonly namespace?: string;
  /** Any of these namespaces and their children (a namespace-limited caller's reach). */
  readonly namespaces?: readonly string[];
  readonly flowId?: string;
  readonly states?: readonly State[];
  /** Executions whose labels contain all of these (JSON containment). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Started at or after (ISO-8601). */
  readonly startDate?: string;
  /** Started at or before (ISO-8601). */
  readonly endDate?: string;
  readonly parentId?: string;
  readonly originalId?: string;
  /** PRODUCTIVE (the default, unless parentId/originalId is given: ALL), DEVELOPMENT or ALL. */
  readonly mode?: 'PRODUCTIVE' | 'DEVELOPMENT' | 'ALL';
  /** Page size (default 20, at most 500). */
  readonly first?: number;
  /** `endCursor` of the previous page. */
  readonly after?: string;
}

export interface ExecutionPage {
  /** Newest first. */
  readonly nodes: readonly ListedExecution[];
  readonly hasNextPage: boolean;
  readonly endCursor?: string;
  /** Executions matching the filters, all pages together. */
  readonly totalCount: number;
}

export interface FlowView {
  readonly namespace: string;
  readonly id: string;
  readonly revision: number;
  readonly source: string;
  /** The parsed definition as deployed (the projection stores the event's own). */
  readonly definition: FlowDefinition;
  /** When this revision was deployed. */
  readonly deployedAt: string;
  /** The flow's status now (the same for every revision). */
  readonly disabled: boolean;
  readonly deleted: boolean;
}

export interface LogView {
  /** Row id (decimal string): orders the lines of one execution. */
  readonly id: string;
  readonly executionId: string;
  readonly taskRunId?: string;
  readonly taskId?: string;
  readonly level: string;
  readonly message: string;
  readonly timestamp: string;
}

export interface LogPageInput {
  /** Page size (default 100, at most 1000). */
  readonly first?: number;
  /** `endCursor` of the previous page. */
  readonly after?: string;
  /** The lowest level shown: TRACE < DEBUG < INFO < WARN < ERROR. */
  readonly minLevel?: string;
}

export interface LogPage {
  /** In arrival order. */
  readonly nodes: readonly LogView[];
  readonly hasNextPage: boolean;
  readonly endCursor?: string;
}

export interface ProjectionStatusView {
  readonly name: string;
  /** Committed log position (decimal string). */
  readonly position: string;
  /** When the checkpoint last moved (ISO-8601). */
  readonly updatedAt: string;
  /** Events recorded in the projection's poison table. */
  readonly errors: number;
}
