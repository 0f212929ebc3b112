import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EntityManager } from 'typeorm';
import { auditRows } from '../projection/audit-rows.writer.js';
import { writeAfterRows, type PreparedBatch } from '../projection/batch-projection.js';
import { advanceCheckpoint } from '../projection/checkpoint.writer.js';
import { CombinedWrites } from '../projection/combined-writes.js';
import type { FoldedExecution } from '../projection/execution-fold.js';
import { executionRow, taskRunRow, upsertExecutions, writeTaskRuns } from '../projection/execution-rows.writer.js';
import { statsDeltas, upsertExecutionStats } from '../projection/execution-stats.writer.js';
import { copyLine, copyStatement, NotCopyableError, type CopyColumn } from './copy-text.js';

const scalar = (column: string): CopyColumn => ({ key: column, column, kind: 'scalar' });
const json = (column: string): CopyColumn => ({ key: column, column, kind: 'json' });

/** The columns `upsertExecutions` writes (its `updated_at` is the batch's clock here). */
const EXECUTION_COLUMNS: readonly CopyColumn[] = [
  scalar('id'), scalar('namespace'), scalar('flow_id'), scalar('flow_revision'), scalar('state'), json('state_history'), json('inputs'),
  json('outputs'), json('labels'), json('trigger'), scalar('original_id'), scalar('parent_id'), scalar('start_date'), scalar('end_date'),
  scalar('error'), scalar('revision'), json('doc'), scalar('updated_at'),
];
/** The columns `writeTaskRuns` writes. */
const TASK_RUN_COLUMNS: readonly CopyColumn[] = [
  scalar('id'), scalar('execution_id'), scalar('seq'), scalar('task_id'), scalar('parent_task_run_id'), scalar('value'), scalar('state'),
  json('state_history'), json('attempts'), json('outputs'), scalar('start_date'), scalar('end_date'), scalar('error'), scalar('revision'),
];
/** The columns `writeAuditRows` writes. */
const AUDIT_COLUMNS: readonly CopyColumn[] = [
  'position', 'at', 'actor', 'action', 'stream_id', 'revision', 'namespace', 'flow_id', 'flow_revision', 'execution_id',
].map(scalar);

/**
 * Writes a prepared batch into the shadow and moves the shadow's checkpoint, in the caller's
 * transaction: the rebuild's bulk load. The rows are the live projection's (same fold, same row
 * mapping), but what is new is streamed with COPY instead of upserted from a JSON parameter: an
 * execution the shadow does not hold yet (with its task runs) and every audit row, which is most
 * of a replay. An execution the shadow already holds (its events span batches) is upserted as
 * the live projector does it, and so are the stats counters, flows and poison records (a handful
 * of rows per batch). The rebuild is the shadow's only writer: `prepared.stored` (read from the
 * shadow, or carried from the batch written just before) says which executions it holds.
 * False when the checkpoint was past the batch already.
 */
export async function writeShadowBatch(manager: EntityManager, name: string, prepared: PreparedBatch): Promise<boolean> {
  if (!(await advanceCheckpoint(manager, name, prepared.position))) return false;
  const client = (await manager.queryRunner!.connect()) as PoolClient;
  const now = new Date().toISOString();
  const upserted: FoldedExecution[] = [];
  let executionLines = '';
  let taskRunLines = '';
  prepared.executions.forEach((execution, ord) => {
    if (prepared.stored.has(execution.id)) {
      upserted.push(execution);
      return;
    }
    try {
      const row = executionRow(execution.doc, execution.revision, ord);
      row.updated_at = now;
      const line = copyLine(EXECUTION_COLUMNS, row);
      const taskRuns = execution.changedTaskRuns.map((changed) => copyLine(TASK_RUN_COLUMNS, taskRunRow(execution, changed))).join('');
      executionLines += line;
      taskRunLines += taskRuns;
    } catch (error) {
      if (!(error instanceof NotCopyableError)) throw error;
      upserted.push(execution);
    }
  });
  let auditLines = '';
  for (const row of auditRows(prepared.events, prepared.executions)) auditLines += copyLine(AUDIT_COLUMNS, row as unknown as Record<string, unknown>);
  // Executions first: new rows take their `seq` in log order, as the live upsert gives it.
  await copyInto(client, 'executions', EXECUTION_COLUMNS, executionLines);
  await copyInto(client, 'task_runs', TASK_RUN_COLUMNS, taskRunLines);
  await copyInto(client, 'audit_log', AUDIT_COLUMNS, auditLines);

  const writes = new CombinedWrites();
  const deltas = statsDeltas(prepared.stored, prepared.executions);
  await upsertExecutions(writes.manager, upserted);
  await writeTaskRuns(writes.manager, upserted);
  await upsertExecutionStats(writes.manager, deltas);
  await writes.flush(manager);
  await writeAfterRows(manager, name, prepared, deltas);
  return true;
}

async function copyInto(client: PoolClient, table: string, columns: readonly CopyColumn[], lines: string): Promise<void> {
  if (lines === '') return;
  await pipeline(Readable.from([Buffer.from(lines, 'utf8')]), client.query(copyFrom(copyStatement(table, columns))));
}
