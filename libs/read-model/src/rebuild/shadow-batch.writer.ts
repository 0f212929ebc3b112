import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EntityManager } from 'typeorm';
import { writeAfterRows } from '../projection/batch-projection.js';
import { advanceCheckpoint } from '../projection/checkpoint.writer.js';
import { CombinedWrites } from '../projection/combined-writes.js';
import { upsertExecutions, writeTaskRuns } from '../projection/execution-rows.writer.js';
import { upsertExecutionStats } from '../projection/execution-stats.writer.js';
import { copyStatement, type CopyColumn } from './copy-text.js';
import { AUDIT_COLUMNS, EXECUTION_COLUMNS, TASK_RUN_COLUMNS, type ShadowBatch } from './shadow-rows.encoder.js';

/**
 * Writes an encoded batch into the shadow and moves the shadow's checkpoint, in the caller's
 * transaction: the rebuild's bulk load. The rows are the live projection's (same fold, same row
 * mapping, see `encodeShadowRows`), but what is new is streamed with COPY instead of upserted
 * from a JSON parameter: an execution the shadow does not hold yet (with its task runs) and
 * every audit row, which is most of a replay. An execution the shadow already holds (its events
 * span batches) is upserted as the live projector does it, and so are the stats counters, flows
 * and poison records (a handful of rows per batch). False when the checkpoint was past the batch already.
 */
export async function writeShadowBatch(manager: EntityManager, name: string, batch: ShadowBatch): Promise<boolean> {
  if (!(await advanceCheckpoint(manager, name, batch.position))) return false;
  const client = (await manager.queryRunner!.connect()) as PoolClient;
  const rows = batch.rows();
  // Executions first: new rows take their `seq` in log order, as the live upsert gives it.
  await copyInto(client, 'executions', EXECUTION_COLUMNS, rows.executionLines);
  await copyInto(client, 'task_runs', TASK_RUN_COLUMNS, rows.taskRunLines);
  await copyInto(client, 'audit_log', AUDIT_COLUMNS, rows.auditLines);

  const writes = new CombinedWrites();
  await upsertExecutions(writes.manager, rows.upserted);
  await writeTaskRuns(writes.manager, rows.upserted);
  await upsertExecutionStats(writes.manager, rows.deltas);
  await writes.flush(manager);
  await writeAfterRows(manager, name, { flows: batch.flows, flowStatuses: batch.flowStatuses, poison: [...rows.poison, ...batch.poison] }, rows.deltas);
  return true;
}

async function copyInto(client: PoolClient, table: string, columns: readonly CopyColumn[], lines: Uint8Array): Promise<void> {
  if (lines.length === 0) return;
  // A Buffer view on the same bytes: what the COPY stream takes.
  const bytes = Buffer.from(lines.buffer, lines.byteOffset, lines.byteLength);
  await pipeline(Readable.from([bytes]), client.query(copyFrom(copyStatement(table, columns))));
}
