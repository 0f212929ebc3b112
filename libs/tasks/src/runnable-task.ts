import type { JsonObject, LogLevel, TaskJob, TaskMetric } from '@chronicle/domain';
import type { ScriptSettings } from '@chronicle/runtime';
import { CodedError, type ErrorCode } from '@chronicle/errors';

export type { LogLevel } from '@chronicle/domain';

/** A task metric (Kestra's counters and timers): the domain's type, stored with the attempt. */
export type { TaskMetric } from '@chronicle/domain';

export interface TaskRunContext {
  readonly job: TaskJob;
  /** The internal storage, KV store and secrets (task-services.ts); absent in a worker built without them. */
  readonly services?: import('./task-services.js').TaskServices;
  log(level: LogLevel, message: string): void;
  metric(metric: TaskMetric): void;
  /** LocalFiles: files written into the WorkingDirectory's folder (path → URI), reported with the attempt. */
  workingFiles?(files: Readonly<Record<string, string>>): void;
  /** Aborted when the attempt is killed; a task should stop promptly (the worker stops waiting anyway). */
  readonly signal: AbortSignal;
  /** The configured bounds of `Script` (CHRONICLE_SCRIPT_*); the defaults when absent. */
  readonly scriptSettings?: ScriptSettings;
}

/** A runnable task: gets its rendered properties, returns its outputs (or throws). */
export type RunnableTask = (context: TaskRunContext) => Promise<JsonObject>;

/** A failure of the task itself (not of the worker): the task run fails with this message. */
export class TaskFailure extends CodedError {
  constructor(message: string, options?: { cause?: unknown; code?: TaskFailureCode }) {
    super(options?.code ?? 'TASK_FAILED', message, options);
  }
}

/** The codes a task run can fail with. */
export type TaskFailureCode = Extract<ErrorCode, 'TASK_FAILED' | 'TASK_KILLED' | `SCRIPT_${string}`>;

/** The attempt was killed (a kill request on the control topic): it ends without outputs. */
export class TaskKilled extends TaskFailure {
  constructor(readonly reason = 'killed on request') {
    super(`task run killed: ${reason}`, { code: 'TASK_KILLED' });
  }
}
