import type { JsonObject, JsonValue } from '../shared/json.js';
import type { ExpressionHost } from './expression-host.js';

/**
 * The variables an expression sees; the names follow Kestra's (`inputs`, `outputs`, ...). Every
 * property but `now` is a variable; `now` is the decision's clock, read by `now()` only.
 */
export interface ExpressionContext {
  readonly inputs: JsonObject;
  /** `outputs.<taskId>` is that task run's outputs; inside loops `outputs.<taskId>.<value>...`. */
  readonly outputs: JsonObject;
  /** `tasks.<taskId>.state` (`tasks.<taskId>.<value>.state` in loops): each task's latest task-run state. */
  readonly tasks?: JsonObject;
  /** `state`: newer Kestra's `{{ execution.state }}` (for afterExecution tasks, the outcome the execution ends in). */
  readonly execution: { readonly id: string; readonly startDate: string; readonly originalId: string; readonly state?: string };
  readonly flow: { readonly id: string; readonly namespace: string; readonly revision: number };
  /** The task being rendered. */
  readonly task?: { readonly id: string; readonly type: string };
  /** The task run being rendered; `value` inside a ForEach; `attemptsCount` = attempts before this one. */
  readonly taskrun?: {
    readonly id?: string;
    readonly value?: JsonValue;
    readonly startDate?: string;
    readonly attemptsCount?: number;
    readonly parentId?: string;
  };
  /** The nearest looping parent (`parent.taskrun.value`), and all of them nearest first (`parents[0]`). */
  readonly parent?: JsonObject;
  readonly parents?: readonly JsonObject[];
  /** Labels by key; system labels nested under `system` (`labels.system.correlationId`), as Kestra's RunVariables. */
  readonly labels: Readonly<Record<string, JsonValue>>;
  readonly trigger?: JsonObject;
  /** Flow-level `variables`. */
  readonly vars?: JsonObject;
  /** The installation's environment variables under its prefix (`{{ envs.my_var }}`), see installation-variables.ts. */
  readonly envs?: Readonly<Record<string, string>>;
  /** The installation's configured global variables (`{{ globals.x }}`). */
  readonly globals?: JsonObject;
  /** ISO-8601 instant of the decision, for `now()`; the domain never reads a clock. */
  readonly now?: string;
  /**
   * Not a variable: what `errorLogs()` returns, Kestra's ERROR log lines of this execution
   * (`{ taskId, taskRunId, attemptNumber, level, message, timestamp, ... }`), oldest first.
   */
  readonly errorLogs?: readonly JsonObject[];
  /** Answers `kv()`, `secret()`, `read()`, `fileSize()`, `fileExists()`; see docs/expression-host-functions.md. */
  readonly host?: ExpressionHost;
  /**
   * Where `uuid()`, `id()` and `randomInt()` draw from: a value recorded with the decision (a
   * command or event id). Absent, the execution id, task run id, attempt and `now` are used.
   */
  readonly randomSeed?: string;
  /**
   * Not a variable: the dotted paths of variables Kestra holds as Java doubles although JSON cannot
   * tell 5.0 from 5 (FLOAT inputs: `inputs.price`). They divide as doubles (`{{ inputs.price / 2 }}`)
   * and print as Java's Double.toString (`5.0`), as Pebble does.
   */
  readonly doubles?: readonly string[];
}
