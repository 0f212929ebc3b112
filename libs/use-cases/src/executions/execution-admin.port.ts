import type { State } from '@chronicle/domain';

/**
 * Port: executions as the execution.Count and execution.PurgeExecutions tasks reach them (counted
 * in the read model, purged from the read model, the log and the internal storage).
 * @chronicle/stores implements it over Postgres (`ExecutionAdminStore`).
 */
export interface ExecutionCountRow {
  readonly namespace: string;
  /** Null for a row that counts a whole namespace (Count's `namespaces`). */
  readonly flowId: string | null;
  readonly count: number;
}

export interface CountRequest {
  readonly flows?: readonly { readonly namespace: string; readonly flowId: string }[];
  readonly namespaces?: readonly string[];
  readonly states?: readonly string[];
  readonly startDate: string;
  readonly endDate: string;
}

export interface ExecutionPurgeRequest {
  /** With `flowId`: the flow's namespace; without: a namespace prefix (itself and its children). */
  readonly namespaces: readonly string[] | 'all';
  readonly flowId?: string;
  readonly startDate?: string;
  readonly endDate: string;
  /** Terminal states only (a live execution is never purged); all of them when absent. */
  readonly states?: readonly State[];
  readonly purgeExecution: boolean;
  readonly purgeLog: boolean;
  /** The metrics of the purged executions' attempts; they go with the execution (deploy refuses one without the other). */
  readonly purgeMetric: boolean;
  readonly purgeStorage: boolean;
  readonly now: string;
  readonly actor: string;
}

export interface ExecutionPurgeCounts {
  readonly executionsCount: number;
  readonly logsCount: number;
  readonly storagesCount: number;
  readonly metricsCount: number;
}

/** A WaitForExecution task's selection by labels: the waiter's namespace (and those below it), never the waiter itself. */
export interface LabelledExecutionQuery {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly excludeId: string;
}

export interface ExecutionAdmin {
  /** Kestra's ExecutionRepository.executionCounts: per flow asked (0 when none), per namespace asked (only those with executions). */
  count(request: CountRequest): Promise<ExecutionCountRow[]>;
  purge(request: ExecutionPurgeRequest): Promise<ExecutionPurgeCounts>;
  /** The id of the newest execution (by start date) whose labels hold all of `labels`, or null. */
  newestWithLabels(query: LabelledExecutionQuery): Promise<string | null>;
}
