import type { DataSource } from 'typeorm';

/**
 * Columns that depend on when or in which batch a row was written, not on the log: `seq` (an
 * upsert consumes sequence values), `updated_at` (the clock), and a task run's `revision` (the
 * execution's revision when the row was last written, a guard against stale writes: a task run
 * that did not change in the batch of the execution's last event keeps an older one).
 */
const VOLATILE: Record<string, ReadonlySet<string>> = {
  executions: new Set(['seq', 'updated_at']),
  task_runs: new Set(['revision']),
};

const ORDER: Record<string, string> = {
  executions: 'id',
  task_runs: 'id',
  flows: 'namespace, id',
  flow_revisions: 'namespace, id, revision',
  audit_log: 'position',
  execution_stats: 'bucket, namespace, flow_id, state, duration_bin',
  execution_stats_hourly: 'bucket, namespace, flow_id, state, duration_bin',
};

/** Every row of the tables a rebuild replaces, ordered by key, as JSON text: for row-by-row equality. */
export async function dumpRebuiltTables(dataSource: DataSource, schema = 'public'): Promise<Record<string, string[]>> {
  const dump: Record<string, string[]> = {};
  for (const [table, order] of Object.entries(ORDER)) {
    const rows: Record<string, unknown>[] = await dataSource.query(`SELECT * FROM "${schema}"."${table}" ORDER BY ${order}`);
    dump[table] = rows.map((row) => JSON.stringify(Object.fromEntries(Object.entries(row).filter(([column]) => !VOLATILE[table]?.has(column)))));
  }
  // `seq` itself depends on batching (an upsert consumes sequence values), its order does not.
  dump.executionOrder = ((await dataSource.query(`SELECT id FROM "${schema}".executions ORDER BY seq`)) as { id: string }[]).map((r) => r.id);
  return dump;
}
