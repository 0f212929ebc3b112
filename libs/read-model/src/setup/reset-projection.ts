import type { DataSource } from 'typeorm';
import { EXECUTION_PROJECTION } from '../projection/execution-projector.js';

/**
 * Empties what the execution projection built and forgets its checkpoint, in one transaction,
 * so that a projector started afterwards rebuilds everything by replaying the log. Stop the
 * projector first. Logs come from the bus, not the log, and are kept.
 */
export async function resetExecutionProjection(dataSource: DataSource, name = EXECUTION_PROJECTION): Promise<void> {
  await dataSource.transaction(async (manager) => {
    await manager.query('TRUNCATE executions, task_runs, flows, flow_revisions, audit_log, execution_stats, execution_stats_hourly');
    await manager.query('DELETE FROM projection_errors WHERE projection = $1', [name]);
    await manager.query('DELETE FROM projection_checkpoints WHERE name = $1', [name]);
  });
}
