import type { JsonObject } from '../shared/json.js';

/**
 * What the worker pool needs to run one attempt of a runnable task run. Built by the
 * decider when it creates the task run: properties are already rendered, so a worker
 * needs no flow, no state and no expression engine.
 */
export interface TaskJob {
  readonly executionId: string;
  readonly taskRunId: string;
  readonly taskId: string;
  readonly attempt: number;
  /** Canonical short type name, e.g. `Log`, `OutputValues`. */
  readonly type: string;
  /** Rendered task properties (everything but id and type). */
  readonly properties: JsonObject;
}
