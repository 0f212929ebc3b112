import type { State } from '@chronicle/domain';
import type { ExecutionViewChange } from '../views/execution-view.delta.js';

/**
 * Messages the projections publish on the `updates` topic after they commit, keyed by
 * execution id (flows: by `<namespace>.<flowId>`). Gateways turn them into subscriptions.
 */
export type ReadModelUpdate = ExecutionUpdate | FlowUpdate | LogUpdate;

/** One event as the live stream shows it; `position` is a decimal string (uint64). */
export interface LiveEvent {
  readonly position: string;
  readonly revision: number;
  readonly type: string;
  readonly data: unknown;
  readonly occurredAt: string;
}

export interface ExecutionUpdate {
  readonly kind: 'execution';
  readonly executionId: string;
  readonly namespace: string;
  readonly flowId: string;
  /** Stream revision of the last event folded in. */
  readonly revision: number;
  /** Log position of the last event folded in (decimal string). */
  readonly position: string;
  /** The execution's state after this change (what a subscriber to terminal states needs without the view). */
  readonly state: State;
  /** Development runs are tests: metrics leave them out. */
  readonly mode: 'PRODUCTIVE' | 'DEVELOPMENT';
  /**
   * The read side's view after this change: whole for a new execution, else a delta from the view at
   * the previous update (never the write side's domain Execution, which holds timers, draft flows...).
   */
  readonly change: ExecutionViewChange;
  /** The execution's events folded in this batch, in order. */
  readonly events: readonly LiveEvent[];
}

export interface FlowUpdate {
  readonly kind: 'flow';
  readonly namespace: string;
  readonly flowId: string;
  readonly revision: number;
}

export interface LogUpdate {
  readonly kind: 'log';
  /** Row id in `logs` (decimal string). */
  readonly id: string;
  readonly executionId: string;
  readonly taskRunId?: string;
  readonly taskId?: string;
  readonly level: string;
  readonly message: string;
  readonly timestamp: string;
}
