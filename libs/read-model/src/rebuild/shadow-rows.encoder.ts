import type { RecordedEvent } from '@chronicle/event-store';
import { auditRows } from '../projection/audit-rows.writer.js';
import type { FoldedExecution, PoisonEvent, StoredExecution } from '../projection/execution-fold.js';
import { executionRow, taskRunRow } from '../projection/execution-rows.writer.js';
import { statsDeltas } from '../projection/execution-stats.writer.js';
import type { FlowRevisionRow, FlowStatusRow } from '../projection/flow-fold.js';
import { copyLine, NotCopyableError, type CopyColumn } from './copy-text.js';

const scalar = (column: string): CopyColumn => ({ key: column, column, kind: 'scalar' });
const json = (column: string): CopyColumn => ({ key: column, column, kind: 'json' });

/** The columns `upsertExecutions` writes (its `updated_at` is the batch's clock here). */
export const EXECUTION_COLUMNS: readonly CopyColumn[] = [
  scalar('id'), scalar('namespace'), scalar('flow_id'), scalar('flow_revision'), scalar('state'), json('state_history'), json('inputs'),
  json('outputs'), json('labels'), json('trigger'), scalar('original_id'), scalar('parent_id'), scalar('start_date'), scalar('end_date'),
  scalar('error'), scalar('revision'), json('doc'), scalar('updated_at'),
];
/** The columns `writeTaskRuns` writes. */
export const TASK_RUN_COLUMNS: readonly CopyColumn[] = [
  scalar('id'), scalar('execution_id'), scalar('seq'), scalar('task_id'), scalar('parent_task_run_id'), scalar('value'), scalar('state'),
  json('state_history'), json('attempts'), json('outputs'), scalar('start_date'), scalar('end_date'), scalar('error'), scalar('revision'),
];
/** The columns `writeAuditRows` writes. */
export const AUDIT_COLUMNS: readonly CopyColumn[] = [
  'position', 'at', 'actor', 'action', 'stream_id', 'revision', 'namespace', 'flow_id', 'flow_revision', 'execution_id',
].map(scalar);

export type StatsDelta = ReturnType<typeof statsDeltas>[number];

/**
 * A batch's rows as the shadow writer takes them, folded and encoded (in this thread or in a
 * fold worker, see `fold-workers.ts`): what is new to the shadow as COPY text, the rest as the
 * live projection's objects. The COPY text is UTF-8 bytes, each table's in one buffer of its
 * own: a worker hands them to this thread by transfer (no copy; cloning the strings cost the
 * worker about half its reply time and this thread as much again), and they go to the socket as they are.
 */
export interface EncodedShadowRows {
  /** COPY lines of the executions new to the shadow, in log order of their first event (their `seq` order)... */
  readonly executionLines: Uint8Array;
  /** ...where each of those lines ends (byte offset past its newline)... */
  readonly executionEnds: readonly number[];
  /** ...and that first event's position, line by line: batches folded in parts are merged on it. */
  readonly executionFirsts: readonly bigint[];
  /** COPY lines of those executions' task runs. */
  readonly taskRunLines: Uint8Array;
  /** COPY lines of the audit rows of the events encoded. */
  readonly auditLines: Uint8Array;
  /** Executions the shadow holds already (their events span batches), or not COPY-able: upserted as live does. */
  readonly upserted: readonly FoldedExecution[];
  readonly deltas: readonly StatsDelta[];
  readonly poison: readonly PoisonEvent[];
}

/** A whole batch for `writeShadowBatch`. */
export interface ShadowBatch {
  readonly position: bigint;
  readonly eventCount: number;
  /**
   * The rows, encoded when they are written: built just before they are sent, the COPY text dies
   * young (built a stage earlier, it outlived the write before it and cost old-generation GC).
   */
  readonly rows: () => EncodedShadowRows;
  readonly flows: readonly FlowRevisionRow[];
  readonly flowStatuses: readonly FlowStatusRow[];
  /** The flows' poison events (the executions' are in `rows`). */
  readonly poison: readonly PoisonEvent[];
}

/**
 * Encodes folded executions (sorted by first position, as `foldExecutions` returns them) and the
 * audit rows of `events`: built from the very row objects the live upserts send (`executionRow`,
 * `taskRunRow`, `auditRows`), so a JSON null or an absent key is NULL in both and a jsonb
 * column is the same JSON. `stored`: what the shadow holds for them before this batch.
 */
export function encodeShadowRows(
  events: readonly RecordedEvent[],
  executions: readonly FoldedExecution[],
  stored: ReadonlyMap<string, StoredExecution>,
  poison: readonly PoisonEvent[],
  now: string = new Date().toISOString(),
): EncodedShadowRows {
  const upserted: FoldedExecution[] = [];
  let executionLines = '';
  const executionFirsts: bigint[] = [];
  let taskRunLines = '';
  executions.forEach((execution, ord) => {
    if (stored.has(execution.id)) {
      upserted.push(execution);
      return;
    }
    try {
      const row = executionRow(execution.doc, execution.revision, ord);
      row.updated_at = now;
      const line = copyLine(EXECUTION_COLUMNS, row);
      const taskRuns = execution.changedTaskRuns.map((changed) => copyLine(TASK_RUN_COLUMNS, taskRunRow(execution, changed))).join('');
      executionLines += line;
      executionFirsts.push(execution.firstPosition);
      taskRunLines += taskRuns;
    } catch (error) {
      if (!(error instanceof NotCopyableError)) throw error;
      upserted.push(execution);
    }
  });
  let auditLines = '';
  for (const row of auditRows(events, executions)) auditLines += copyLine(AUDIT_COLUMNS, row as unknown as Record<string, unknown>);
  const executionBytes = utf8(executionLines);
  return {
    executionLines: executionBytes, executionEnds: lineEnds(executionBytes), executionFirsts, taskRunLines: utf8(taskRunLines), auditLines: utf8(auditLines),
    upserted, deltas: statsDeltas(stored, executions), poison,
  };
}

const encoder = new TextEncoder();

/** UTF-8 in a buffer of its own (never a slice of Node's shared pool): it may be transferred to another thread. */
export const utf8 = (text: string): Uint8Array => encoder.encode(text);

const NEWLINE = 0x0a;

/** Where each COPY line ends: a newline byte is only ever a line's end (`copyLine` escapes the ones in values). */
export function lineEnds(bytes: Uint8Array): number[] {
  const ends: number[] = [];
  for (let at = bytes.indexOf(NEWLINE); at !== -1; at = bytes.indexOf(NEWLINE, at + 1)) ends.push(at + 1);
  return ends;
}
