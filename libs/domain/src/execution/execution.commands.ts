import type { FlowDefinition } from '../flow/flow.model.js';
import type { JsonObject } from '../shared/json.js';

/**
 * Commands to the Execution aggregate. Imperative; every command carries `now`
 * (ISO-8601 UTC) because the domain never reads a clock.
 */
export type ExecutionCommand =
  | CreateExecution
  | AdvanceExecution
  | StartTaskRun
  | CompleteTaskRun
  | FailTaskRun;

export type ExecutionCommandType = ExecutionCommand['type'];

export interface CreateExecution {
  readonly type: 'CreateExecution';
  readonly executionId: string;
  /** The flow revision to run (parsed). */
  readonly flow: FlowDefinition;
  /** Raw inputs as the caller sent them; validated and typed by the decider. */
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly labels?: Readonly<Record<string, string>>;
  readonly trigger?: JsonObject;
  readonly originalId?: string;
  readonly parentId?: string;
  readonly now: string;
}

/** Move the execution forward: start it if it was just created. Idempotent. */
export interface AdvanceExecution {
  readonly type: 'AdvanceExecution';
  readonly executionId: string;
  readonly now: string;
}

/** A worker began an attempt. Idempotent. */
export interface StartTaskRun {
  readonly type: 'StartTaskRun';
  readonly executionId: string;
  readonly taskRunId: string;
  readonly attempt: number;
  readonly workerId?: string;
  readonly now: string;
}

/** A worker finished an attempt successfully. Idempotent. */
export interface CompleteTaskRun {
  readonly type: 'CompleteTaskRun';
  readonly executionId: string;
  readonly taskRunId: string;
  readonly attempt: number;
  readonly outputs: JsonObject;
  readonly now: string;
}

/** A worker's attempt failed. Idempotent. */
export interface FailTaskRun {
  readonly type: 'FailTaskRun';
  readonly executionId: string;
  readonly taskRunId: string;
  readonly attempt: number;
  readonly error: string;
  readonly now: string;
}
