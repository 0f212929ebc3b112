import { CodedError } from '@chronicle/errors';
import type { JsonObject } from '../shared/json.js';

/**
 * What a task type is, as the task catalog (task-catalog.ts) holds it: shared by the core types of
 * this folder and the I/O modules of libs/tasks. A leaf, so that the catalogs can import the
 * definitions without a cycle.
 */
export type TaskKind = 'runnable' | 'flowable';

export interface TaskPropertyIssue {
  /** Relative to the task, e.g. `['message', 2]`. */
  readonly path: readonly (string | number)[];
  readonly message: string;
}

export interface TaskTypeDefinition {
  /** Canonical short name, what `TaskDefinition.type` and `TaskJob.type` carry. */
  readonly name: string;
  readonly fullName: string;
  readonly kind: TaskKind;
  /**
   * Runnables that use the internal storage or the KV store: their job carries the flow's namespace
   * and id; `rawProperties` are not rendered at dispatch (the task renders them, e.g. per item);
   * `renderContext`: the job carries the dispatch's variables (deferred-rendering.ts).
   */
  readonly io?: { readonly rawProperties?: readonly string[]; readonly renderContext?: boolean };
  /**
   * What else a runnable's job carries (attempts.ts): `dataContext`, the inputs and the earlier
   * outputs as data (a script has no expression engine); `timeout`, the task's `timeout` among its
   * properties (its own time limit); `workingDirectoryFiles`, the files of its WorkingDirectory's folder.
   */
  readonly job?: { readonly dataContext?: boolean; readonly timeout?: boolean; readonly workingDirectoryFiles?: boolean };
  /** Other full names Kestra accepts for the type (its `@Plugin(aliases)`: older package names). */
  readonly aliases?: readonly string[];
  /**
   * The properties the type takes besides every task's base ones (Kestra's class's, as far as
   * Chronicle implements them): any other is a deploy error, never silently ignored. Absent: the
   * type's own `validate` refuses what it does not know.
   */
  readonly properties?: readonly string[];
  /** Properties of Kestra's type that Chronicle refuses at deploy, with the reason. */
  readonly refusedProperties?: Readonly<Record<string, string>>;
  /** Checks the task's own properties (everything but `id` and `type`). */
  readonly validate: (properties: JsonObject) => readonly TaskPropertyIssue[];
  /** Flowables: the properties that hold nested task lists (parsed and validated recursively). */
  readonly taskLists?: readonly string[];
  /** Flowables: the task lists that must be present and non-empty. */
  readonly requiredLists?: readonly string[];
  /** Switch: `cases` is a mapping of values to task lists. */
  readonly cases?: boolean;
  /** Dag: `tasks` is a list of `{ task, dependsOn }`. */
  readonly dag?: boolean;
  /** ForEachItem: its internal tasks are built from its properties (for-each-item.task-types.ts). */
  readonly forEachItem?: boolean;
  /** WorkingDirectory: its `tasks` must all be runnable, without their own `workerGroup`. */
  readonly runnableChildren?: boolean;
  /** Built by the engine, never written in a flow (ForEachItem's internal tasks). */
  readonly internal?: boolean;
  /**
   * Runnables whose whole work is a pure function of their rendered properties: their outputs, or a
   * `LocalTaskError` with the message the attempt fails with. The worker's runner calls it, and so
   * does the domain's test driver (testing/kestra-corpus.driver.ts).
   */
  readonly run?: (properties: JsonObject) => JsonObject;
  /** With `run`: the executor runs it inside the decision that dispatches it (local-tasks.ts). */
  readonly local?: boolean;
}

/** A property a pure run cannot work with: the attempt fails with this message (TASK_FAILED, as the worker's failures). */
export class LocalTaskError extends CodedError {
  constructor(message: string) {
    super('TASK_FAILED', message);
  }
}
