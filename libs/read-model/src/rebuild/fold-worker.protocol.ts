import type { StoredExecution } from '../projection/execution-fold.js';
import type { LogEvent } from './log-event.js';
import type { EncodedShadowRows } from './shadow-rows.encoder.js';

/** One batch's share for a fold worker. */
export interface FoldRequest {
  readonly id: number;
  /** The execution events of the worker's executions, in log order (purged executions' left out), parsed here if raw. */
  readonly events: readonly LogEvent[];
  /** The shadow's rows of those executions the worker did not fold in the batch before. */
  readonly stored: readonly (readonly [string, StoredExecution])[];
  /** Drop what the batch before folded: the shadow's committed rows are all there is. */
  readonly forget: boolean;
  /** The batch's clock (`updated_at`). */
  readonly now: string;
}

export type FoldReply =
  | { readonly id: number; readonly rows: EncodedShadowRows; readonly folded: readonly string[] }
  | { readonly id: number; readonly error: string };

export interface FoldWorkerData {
  /** Tests only: the thread exits abruptly when it receives this batch (1 = the first). */
  readonly exitOnBatch?: number;
}
