import type { TaskTypeDefinition } from '@chronicle/domain';
import type { RunnableTask } from './runnable-task.js';

/**
 * One task type that does I/O, whole: what it is (names, Kestra's aliases, property schema and
 * validation, I/O flags: the definition the flow parser and the decider read through the task
 * catalog) and how the worker runs it (its runner, reaching I/O only through the TaskServices
 * ports). Each lives in its Kestra package's folder (kv/, storage/, http/, ...); catalog.ts lists them.
 */
export interface TaskModule {
  readonly definition: TaskTypeDefinition;
  readonly run: RunnableTask;
}
