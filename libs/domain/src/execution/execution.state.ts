import type { JsonObject } from '../shared/json.js';
import type { State } from './state.js';

export interface StateChange {
  readonly state: State;
  readonly date: string;
}

export interface Attempt {
  readonly number: number;
  readonly state: State;
  readonly startDate?: string;
  readonly endDate?: string;
  readonly error?: string;
}

export interface TaskRun {
  readonly id: string;
  readonly taskId: string;
  readonly parentTaskRunId?: string;
  readonly value?: string;
  readonly state: State;
  readonly stateHistory: readonly StateChange[];
  readonly attempts: readonly Attempt[];
  readonly outputs?: JsonObject;
  readonly startDate?: string;
  readonly endDate?: string;
  readonly error?: string;
}

/** The folded state of one execution; `undefined` before ExecutionCreated. */
export interface Execution {
  readonly id: string;
  readonly namespace: string;
  readonly flowId: string;
  readonly flowRevision: number;
  readonly state: State;
  readonly stateHistory: readonly StateChange[];
  readonly inputs: JsonObject;
  readonly outputs?: JsonObject;
  readonly labels: Readonly<Record<string, string>>;
  readonly trigger?: JsonObject;
  readonly originalId: string;
  readonly parentId?: string;
  /** In creation order. */
  readonly taskRuns: readonly TaskRun[];
  readonly startDate: string;
  readonly endDate?: string;
  readonly error?: string;
  /** Stream revision of the last event folded in (0-based); -1 for none. */
  readonly revision: number;
}

export type ExecutionState = Execution | undefined;
