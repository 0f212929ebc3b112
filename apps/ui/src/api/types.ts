/**
 * The shapes of the public GraphQL API the UI reads: the SDK's types generated from
 * schema.graphql (`@chronicle/client/graphql`), picked to the fields the UI's queries select.
 * Only GraphQL's JSON scalars are narrowed here to what the UI reads in them (labels, inputs,
 * metrics, dashboard counts, headers).
 */
import type * as G from '@chronicle/client/graphql';

/**
 * The picked fields of a generated type: non-null ones required, nullable ones optional (a query
 * may leave them out). The field names and their types come from the schema, not from here.
 */
type Fields<T, K extends keyof T> = { [P in K as null extends T[P] ? never : P]: T[P] } & { [P in K as null extends T[P] ? P : never]?: T[P] };

export type State = G.State;
/** Every state, for filters; the compiler checks the list against the schema's enum. */
export const STATES = [
  'CREATED', 'QUEUED', 'RUNNING', 'PAUSED', 'SUCCESS', 'WARNING', 'FAILED', 'KILLING', 'KILLED',
  'RESTARTED', 'CANCELLED', 'RETRYING', 'RETRIED', 'SKIPPED',
] as const satisfies readonly State[];
const EVERY_STATE_LISTED: Exclude<State, (typeof STATES)[number]> extends never ? true : never = true;
void EVERY_STATE_LISTED;

export const TERMINAL_STATES: ReadonlySet<State> = new Set(['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED', 'RETRIED', 'SKIPPED']);

export type InputType = G.InputType;

/**
 * A flow input's definition: the schema's `FlowInput` (`Flow.inputDefinitions`). Every field but
 * the id and the type may be absent: the API answers null for what a definition leaves out, and a
 * Pause task's `onResume` (read from the flow's tasks JSON) simply omits it; test with `== null`.
 */
export type InputDefinition = Pick<G.FlowInput, 'id' | 'type'> & { readonly [K in Exclude<keyof G.FlowInput, 'id' | 'type' | 'dependsOn'>]?: G.FlowInput[K] } & {
  readonly dependsOn?: (Pick<G.FlowInputDependency, 'inputs'> & Partial<Pick<G.FlowInputDependency, 'condition'>>) | null;
};

export type Flow = Fields<G.Flow, 'namespace' | 'id' | 'revision' | 'source' | 'description' | 'disabled' | 'deleted' | 'deployedAt'> & {
  inputDefinitions?: InputDefinition[];
  tasks?: unknown;
  triggers?: unknown;
  labels?: Record<string, string> | null;
};

export type Attempt = Fields<G.Attempt, 'number' | 'state' | 'startDate' | 'endDate' | 'error'>;

/** Set while the execution is paused before a task run (a breakpoint or step mode); `properties` is a JSON scalar. */
export type Breakpoint = Fields<G.Breakpoint, 'since' | 'error'> & { properties?: Record<string, unknown> | null };

/** A holder of (or a waiter for) a named lock. */
export type LockHolder = Fields<G.LockHolder, 'executionId' | 'taskRunId' | 'namespace' | 'flowId' | 'names' | 'priority' | 'since'>;

export type NamedLock = Fields<G.NamedLock, 'name' | 'namespace'> & { holder?: LockHolder | null; waiters: LockHolder[] };

export type LockClaim = Fields<G.ExecutionLockClaim, 'taskRunId' | 'names' | 'state' | 'since'>;

/** A counter or timer a task reported: an item of `TaskRun.metrics` (a JSON scalar in the schema). */
export interface TaskMetric {
  name: string;
  type: string;
  value: number;
  tags?: Record<string, string> | null;
  attempt?: number;
}

export type TaskRun = Fields<G.TaskRun, 'id' | 'taskId' | 'parentTaskRunId' | 'value' | 'state' | 'startDate' | 'endDate' | 'error'> & {
  attempts: Attempt[];
  outputs?: unknown;
  /** Counters and timers the task reported, each with its attempt number. */
  metrics?: TaskMetric[] | null;
  breakpoint?: Breakpoint | null;
};

export type StateChange = G.StateChange;
export type ExecutionAction = G.ExecutionAction;

/** Who started a run: a token's name, a trigger's id or the parent execution. */
export type StartedBy = Pick<G.StartedBy, 'kind' | 'id'>;

/** Per-run options and steering (priority, name, status message, development mode...). */
type RunFields = Fields<G.Execution, 'name' | 'message' | 'mode' | 'priority' | 'description' | 'maxRuntime' | 'scheduledAt' | 'killReason'> & { startedBy?: StartedBy | null };

export type Execution = Fields<G.Execution, 'id' | 'namespace' | 'flowId' | 'flowRevision' | 'state' | 'revision' | 'trigger' | 'originalId' | 'parentId' | 'startDate' | 'endDate' | 'error' | 'availableActions'> & RunFields & {
  stateHistory: StateChange[];
  inputs?: Record<string, unknown> | null;
  outputs?: Record<string, unknown> | null;
  labels?: Record<string, string> | null;
  taskRuns: TaskRun[];
  /** Named-lock claims, and for the locks waited for, who holds them. */
  lockClaims?: LockClaim[];
  lockHolders?: NamedLock[];
  breakpoints?: string[];
  stepMode?: boolean;
};

export type ExecutionSummary = Omit<Execution, 'taskRuns' | 'stateHistory' | 'inputs' | 'outputs' | 'trigger' | 'availableActions' | 'lockClaims' | 'lockHolders' | 'breakpoints' | 'stepMode' | 'description' | 'maxRuntime' | 'scheduledAt' | 'killReason' | 'startedBy'>;

/** A node of an execution tree (the top execution or one of its descendants). */
export type TreeNode = Fields<G.Execution, 'id' | 'namespace' | 'flowId' | 'state' | 'parentId' | 'name' | 'message' | 'mode' | 'startDate' | 'endDate'>;

export type ExecutionEvent = G.ExecutionEvent;

export type LogEntry = Fields<G.LogEntry, 'id' | 'executionId' | 'taskRunId' | 'taskId' | 'level' | 'message' | 'timestamp'>;

export type ProjectionRebuild = Fields<G.ProjectionRebuild, 'state' | 'requestedBy' | 'requestedAt' | 'finishedAt' | 'eventsProjected' | 'etaSeconds' | 'error'>;

export type ProjectionStatus = Fields<G.ProjectionStatus, 'name' | 'position' | 'headPosition' | 'lagEvents' | 'lagSeconds' | 'state' | 'errors' | 'updatedAt'> & {
  rebuild?: ProjectionRebuild | null;
};

/** A Relay connection of the schema (ExecutionConnection...), for any node type. */
export interface Connection<T> {
  edges: Array<{ node: T; cursor: string }>;
  pageInfo: Fields<G.PageInfo, 'endCursor' | 'hasNextPage'>;
  totalCount: number;
}

export type Trigger = Fields<G.Trigger, 'namespace' | 'flowId' | 'id' | 'kind' | 'type' | 'enabled' | 'disabledInFlow' | 'lastFiredAt' | 'nextFireAt' | 'cron' | 'timezone' | 'topic' | 'uri' | 'interval'>;

export type DeadLetterQueue = G.DeadLetterQueue;

export type DeadLetter = Fields<G.DeadLetter, 'topic' | 'partition' | 'offset' | 'key' | 'value' | 'json' | 'reason' | 'sourceTopic' | 'failedAt' | 'redrivenAt' | 'redrivenBy'> & {
  /** The message's headers (a JSON scalar in the schema): names to texts. */
  headers: Record<string, string>;
};

export type DashboardStats = Fields<G.DashboardBucket, 'total' | 'successRatio' | 'p50Ms' | 'p95Ms' | 'p99Ms'> & {
  /** Executions by state (a JSON scalar in the schema). */
  states: Record<string, number>;
};

export type DashboardFlow = G.DashboardFlow;

export type Dashboard = DashboardStats & Fields<G.Dashboard, 'from' | 'to' | 'bucketSeconds' | 'running' | 'queued'> & {
  buckets: Array<DashboardStats & { start: string }>;
  busiestFlows: DashboardFlow[];
  failingFlows: DashboardFlow[];
};
