/**
 * Port: flow concurrency limits across executor replicas. The executor admits an execution before
 * it appends the decision to start it, and releases its slot on the intent of its terminal event.
 * @chronicle/stores keeps the slots in Postgres (`ConcurrencySlots`).
 */

/** A flow's concurrency pool: its executions (of one `concurrency.key` value, when it has a key). */
export interface ConcurrencyPool {
  readonly namespace: string;
  readonly flowId: string;
  /** The rendered `concurrency.key`; '' when the flow has none. */
  readonly key: string;
}

export interface AdmissionRequest {
  readonly executionId: string;
  readonly pool: ConcurrencyPool;
  readonly limit: number;
  readonly behavior: 'QUEUE' | 'CANCEL' | 'FAIL';
  /** Flow `priority` (higher first); 0 when unset. */
  readonly priority: number;
  /** When the execution was created: FIFO within a priority. */
  readonly createdAt: string;
}

/** What the decider is told (`AdvanceExecution.concurrency`): below the limit = start. */
export interface Admission {
  readonly running: number;
  readonly admitted: boolean;
}

export type ConcurrencySlotStatus = 'queued' | 'granted' | 'running';

export interface ConcurrencySlotTable {
  /** May this CREATED or QUEUED execution start now? Reserves its slot when it may. */
  admit(request: AdmissionRequest): Promise<Admission>;
  /** The execution ended: frees its slot, grants free slots to the queue's head, answers every execution holding a granted slot. */
  release(executionId: string, pool: ConcurrencyPool, limit: number): Promise<string[]>;
  /** A queued execution's priority changed: its place in the queue follows. */
  reprioritize(executionId: string, priority: number): Promise<void>;
  /** Rows of the pool, for tests and diagnostics. */
  entries(pool: ConcurrencyPool): Promise<Array<{ executionId: string; status: ConcurrencySlotStatus }>>;
}
