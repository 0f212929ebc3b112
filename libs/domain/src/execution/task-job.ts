import type { JsonObject } from '../shared/json.js';

/**
 * What the worker pool needs to run one attempt of a runnable task run. Built by the
 * decider when it creates the attempt: properties are already rendered, so a worker
 * needs no flow, no state and no expression engine.
 */
export interface TaskJob {
  readonly executionId: string;
  readonly taskRunId: string;
  readonly taskId: string;
  readonly attempt: number;
  /** Canonical short type name, e.g. `Log`, `OutputValues`. */
  readonly type: string;
  /** Rendered task properties (everything but id, type and the engine's control properties). */
  readonly properties: JsonObject;
  /** The task's `logLevel`: its log lines below this level are dropped (see `keepsLogLine`). */
  readonly logLevel?: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** The task's `logToFile`: the worker writes its lines to a file of the internal storage, reported as the attempt's `logFile`. */
  readonly logToFile?: true;
  /** The flow's `priority`: higher first when the worker pool is saturated. */
  readonly priority?: number;
  /**
   * `Script` only: what the script sees besides its properties — the execution's inputs and the
   * earlier task runs' outputs (the same `outputs` tree expressions read).
   */
  readonly context?: { readonly inputs: JsonObject; readonly outputs: JsonObject };
  /**
   * The executor ran this attempt inside the decision that dispatched it (see local-tasks.ts):
   * the relay does not send it to the workers.
   */
  readonly local?: true;
  /**
   * Tasks that touch the internal storage or the KV store (their type has `io`), and jobs with
   * deferred properties: the flow whose files and namespace the task works in.
   */
  readonly flow?: { readonly namespace: string; readonly flowId: string };
  /** Properties left raw because they call I/O functions: the worker renders them (deferred-rendering.ts). */
  readonly deferred?: readonly string[];
  /** The variables of the dispatch, as data, for deferred properties and a type's raw ones. */
  readonly renderContext?: JsonObject;
  /**
   * LocalFiles inside a WorkingDirectory: the folder's files so far (path → kestra:/// URI, or the
   * content itself for the WorkingDirectory's own `inputFiles`), see working-directory.files.ts.
   */
  readonly workingDirectory?: { readonly files: Readonly<Record<string, string>> };
}
