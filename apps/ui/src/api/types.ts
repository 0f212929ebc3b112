/** The shapes of the public GraphQL API that the UI reads (see schema.graphql). */
export const STATES = [
  'CREATED', 'QUEUED', 'RUNNING', 'PAUSED', 'SUCCESS', 'WARNING', 'FAILED', 'KILLING', 'KILLED',
  'RESTARTED', 'CANCELLED', 'RETRYING', 'RETRIED', 'SKIPPED',
] as const;
export type State = (typeof STATES)[number];

export const TERMINAL_STATES: ReadonlySet<State> = new Set(['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED', 'RETRIED', 'SKIPPED']);

export type InputType =
  | 'STRING' | 'INT' | 'FLOAT' | 'BOOLEAN' | 'DATETIME' | 'DATE' | 'TIME' | 'DURATION'
  | 'JSON' | 'YAML' | 'ENUM' | 'SELECT' | 'MULTISELECT' | 'ARRAY' | 'URI' | 'EMAIL' | 'SECRET' | 'FILE';

export interface InputDefinition {
  readonly id: string;
  readonly type: InputType;
  readonly defaults?: unknown;
  readonly required?: boolean;
  readonly description?: string;
  readonly displayName?: string;
  /** SELECT / MULTISELECT: the values come from an expression the server renders (not known here). */
  readonly expression?: string;
  readonly allowCustomValue?: boolean;
  /** The server leaves the input out when its dependencies are absent or its condition is false. */
  readonly dependsOn?: { readonly inputs: readonly string[]; readonly condition?: string };
  readonly values?: readonly string[];
  readonly itemType?: InputType;
  readonly min?: number | string;
  readonly max?: number | string;
  readonly regex?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
}

export interface Flow {
  namespace: string;
  id: string;
  revision: number;
  source: string;
  description?: string | null;
  inputs?: InputDefinition[] | null;
  tasks?: unknown;
  triggers?: unknown;
  labels?: Record<string, string> | null;
  disabled: boolean;
  deleted: boolean;
  deployedAt?: string | null;
}

export interface Attempt {
  number: number;
  state: State;
  startDate?: string | null;
  endDate?: string | null;
  error?: string | null;
}

export interface TaskRun {
  id: string;
  taskId: string;
  parentTaskRunId?: string | null;
  value?: string | null;
  state: State;
  attempts: Attempt[];
  outputs?: unknown;
  /** Counters and timers the task reported, each with its attempt number. */
  metrics?: TaskMetric[] | null;
  startDate?: string | null;
  endDate?: string | null;
  error?: string | null;
}

export interface TaskMetric {
  name: string;
  type: string;
  value: number;
  tags?: Record<string, string> | null;
  attempt?: number;
}

export interface StateChange {
  state: State;
  date: string;
}

export interface Execution {
  id: string;
  namespace: string;
  flowId: string;
  flowRevision: number;
  state: State;
  revision: number;
  stateHistory: StateChange[];
  inputs?: Record<string, unknown> | null;
  outputs?: Record<string, unknown> | null;
  labels?: Record<string, string> | null;
  trigger?: unknown;
  taskRuns: TaskRun[];
  originalId: string;
  parentId?: string | null;
  startDate?: string | null;
  endDate?: string | null;
  error?: string | null;
  /** What the API accepts for this execution now (the API's rule, not a copy of it). */
  availableActions: ExecutionAction[];
}

export type ExecutionAction = 'KILL' | 'PAUSE' | 'RESUME' | 'RESTART' | 'REPLAY' | 'REWIND';

export type ExecutionSummary = Omit<Execution, 'taskRuns' | 'stateHistory' | 'inputs' | 'outputs' | 'trigger' | 'availableActions'>;

export interface ExecutionEvent {
  position: string;
  revision: number;
  type: string;
  data: unknown;
  occurredAt: string;
}

export interface LogEntry {
  id?: string | null;
  executionId: string;
  taskRunId?: string | null;
  taskId?: string | null;
  level: string;
  message: string;
  timestamp: string;
}

export interface ProjectionStatus {
  name: string;
  position: string;
  headPosition?: string | null;
  lagEvents: number;
  lagSeconds: number;
  state: 'LIVE' | 'CATCHING_UP' | 'STALLED';
  errors: number;
  updatedAt: string;
  rebuild?: ProjectionRebuild | null;
}

export interface ProjectionRebuild {
  state: string;
  requestedBy?: string | null;
  requestedAt: string;
  finishedAt?: string | null;
  eventsProjected: number;
  etaSeconds?: number | null;
  error?: string | null;
}

export interface Connection<T> {
  edges: Array<{ node: T; cursor: string }>;
  pageInfo: { endCursor?: string | null; hasNextPage: boolean };
  totalCount: number;
}

export interface Trigger {
  namespace: string;
  flowId: string;
  id: string;
  kind: string;
  type: string;
  enabled: boolean;
  disabledInFlow: boolean;
  lastFiredAt?: string | null;
  nextFireAt?: string | null;
  cron?: string | null;
  timezone?: string | null;
  topic?: string | null;
}

export interface DeadLetterQueue {
  topic: string;
  sourceTopic: string;
  count: number;
}

export interface DeadLetter {
  topic: string;
  partition: number;
  offset: string;
  key: string;
  value?: string | null;
  json?: unknown;
  headers: Record<string, string>;
  reason: string;
  sourceTopic: string;
  failedAt?: string | null;
  redrivenAt?: string | null;
  redrivenBy?: string | null;
}

export interface DashboardStats {
  states: Record<string, number>;
  total: number;
  successRatio?: number | null;
  p50Ms?: number | null;
  p95Ms?: number | null;
  p99Ms?: number | null;
}

export interface DashboardFlow {
  namespace: string;
  flowId: string;
  executions: number;
  failed: number;
}

export interface Dashboard extends DashboardStats {
  from: string;
  to: string;
  bucketSeconds: number;
  running: number;
  queued: number;
  buckets: Array<DashboardStats & { start: string }>;
  busiestFlows: DashboardFlow[];
  failingFlows: DashboardFlow[];
}
