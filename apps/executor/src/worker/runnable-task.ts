import type { JsonObject, TaskJob } from '@chronicle/domain';

export type LogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface TaskRunContext {
  readonly job: TaskJob;
  log(level: LogLevel, message: string): void;
  readonly signal: AbortSignal;
}

/** A runnable task: gets its rendered properties, returns its outputs (or throws). */
export type RunnableTask = (context: TaskRunContext) => Promise<JsonObject>;

/** A failure of the task itself (not of the worker): the task run fails with this message. */
export class TaskFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TaskFailure';
  }
}
