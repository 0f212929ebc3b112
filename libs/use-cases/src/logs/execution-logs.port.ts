/**
 * Port: task logs as the log.* tasks reach them (log.Fetch, log.PurgeLogs): reads and deletes of
 * the read model's logs. @chronicle/stores reads them from Postgres (`ExecutionLogStore`).
 */
export interface StoredLogLine {
  readonly namespace: string;
  readonly flowId: string;
  readonly executionId: string;
  readonly taskId: string | null;
  readonly taskRunId: string | null;
  readonly level: string;
  readonly message: string;
  readonly timestamp: string;
}

export interface LogPurgeRequest {
  readonly namespace?: string;
  readonly flowId?: string;
  readonly levels?: readonly string[];
  readonly startDate?: string;
  readonly endDate: string;
}

export interface ExecutionLogs {
  /** The execution's id when it exists (in `namespace`/`flowId` when given). */
  findExecution(executionId: string, namespace?: string, flowId?: string): Promise<{ id: string; namespace: string; flowId: string } | undefined>;
  /** Lines of an execution (the caller names its flow: its row may not be projected yet) at `minLevel` or above, oldest first. */
  fetch(execution: { id: string; namespace: string; flowId: string }, options?: { minLevel?: string; taskIds?: readonly string[] }): Promise<StoredLogLine[]>;
  /**
   * Runs `publish` (which sends a barrier behind the execution's log lines) and resolves true once
   * the log projection announces the barrier's id on `channel`, false when `timeoutMs` ran out first.
   */
  afterBarrier(channel: string, id: string, publish: () => Promise<void>, timeoutMs: number): Promise<boolean>;
  /** Deletes the matching lines; answers how many. */
  purge(options: LogPurgeRequest): Promise<number>;
}
