import type { RecordedEvent } from '@chronicle/event-store';
import type { EntityManager } from 'typeorm';
import { auditRows, writeAuditRows } from './audit-rows.writer.js';
import { CombinedWrites } from './combined-writes.js';
import { advanceCheckpoint, recordPoisonEvents } from './checkpoint.writer.js';
import { executionIdsIn, foldExecutions, type EvolveFn, type FoldedExecution, type PoisonEvent } from './execution-fold.js';
import { loadBatchExecutions, upsertExecutions, writeTaskRuns } from './execution-rows.writer.js';
import { executionIdOf } from './stream-names.js';
import { statsDeltas, writeExecutionStats } from './execution-stats.writer.js';
import { foldFlows, type FlowRevisionRow, type FlowStatusRow } from './flow-fold.js';
import { writeFlowRevisions, writeFlowStatuses } from './flow-rows.writer.js';

export interface ProjectedBatch {
  /** Position of the last event of the batch: the new checkpoint. */
  readonly position: bigint;
  readonly executions: readonly FoldedExecution[];
  readonly flows: readonly FlowRevisionRow[];
  readonly flowStatuses: readonly FlowStatusRow[];
  readonly poison: readonly PoisonEvent[];
}

/**
 * Folds one batch into the rows of the schema `manager` writes to and moves checkpoint `name`,
 * inside the caller's transaction. The live projector and a rebuild's shadow projection both
 * use it, so a rebuild writes exactly what live projection writes. Undefined when the checkpoint
 * is already at or past the batch (another replica projected it).
 */
export async function projectBatch(
  manager: EntityManager,
  name: string,
  events: readonly RecordedEvent[],
  evolve: EvolveFn,
): Promise<ProjectedBatch | undefined> {
  const last = events.reduce((max, event) => (event.position > max ? event.position : max), events[0]!.position);
  if (!(await advanceCheckpoint(manager, name, last))) return undefined;
  // Events of purged executions stay out (EventStoreDB keeps them in $all until a scavenge);
  // the purge check and the stored rows come in one query.
  const { stored, purged } = await loadBatchExecutions(manager, executionIdsIn(events));
  const kept = purged.size === 0 ? events : events.filter((event) => {
    const id = executionIdOf(event.streamId);
    return id === undefined || !purged.has(id);
  });
  const folded = foldExecutions(kept, stored, evolve);
  const flows = foldFlows(kept);
  // Rows, task runs and audit lines touch different tables and rows: one statement for the three.
  const writes = new CombinedWrites();
  await upsertExecutions(writes.manager, folded.executions);
  await writeTaskRuns(writes.manager, folded.executions);
  await writeAuditRows(writes.manager, auditRows(kept, folded.executions));
  await writes.flush(manager);
  // Stats delete the counters their own upsert brought to zero, and flow statuses update the rows a
  // deploy of the same batch wrote: each needs the statement before it done.
  await writeExecutionStats(manager, statsDeltas(stored, folded.executions));
  await writeFlowRevisions(manager, flows.revisions);
  await writeFlowStatuses(manager, flows.statuses);
  const poison = [...folded.poison, ...flows.poison];
  await recordPoisonEvents(manager, name, poison);
  return { position: last, executions: folded.executions, flows: flows.revisions, flowStatuses: flows.statuses, poison };
}
