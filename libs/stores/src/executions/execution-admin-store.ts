import { executionStreamId, TERMINAL_STATES } from '@chronicle/domain';
import type { EventStore } from '@chronicle/event-store';
import type pg from 'pg';
import { executionPrefix } from '@chronicle/use-cases';
import type { CountRequest, ExecutionAdmin, ExecutionCountRow, ExecutionPurgeCounts, ExecutionPurgeRequest, InternalStorage, LabelledExecutionQuery } from '@chronicle/use-cases';
import { inTransaction } from '../transaction.js';

/** The read model's checkpoint row the execution projector holds while it writes a batch. */
const EXECUTION_PROJECTION = 'executions';

export type { CountRequest, ExecutionCountRow, ExecutionPurgeCounts, ExecutionPurgeRequest };

/**
 * Executions as the execution.Count and execution.PurgeExecutions tasks reach them: the read
 * model's `executions` (counted and selected there), the event store (a purged execution's stream
 * is deleted) and the internal storage (its files). A purge follows the read model's retention
 * protocol (read-model/src/retention/execution-purge.ts): the ids enter the `purged_executions`
 * ledger and their rows go in one transaction that holds the projector's checkpoint row, so the
 * projection never brings them back; then the streams are deleted and each ledger row marked.
 */
export class ExecutionAdminStore implements ExecutionAdmin {
  constructor(private readonly pool: pg.Pool, private readonly store: EventStore, private readonly storage: InternalStorage) {}

  /** Kestra's ExecutionRepository.executionCounts: per flow asked (0 when none), per namespace asked (only those with executions). */
  async count(request: CountRequest): Promise<ExecutionCountRow[]> {
    const flows = request.flows ?? [];
    const r = await this.pool.query<{ namespace: string; flow_id: string; count: string }>(
      `SELECT namespace, flow_id, count(*) AS count FROM executions
        WHERE start_date >= $1::timestamptz AND start_date <= $2::timestamptz
          AND ($3::text[] IS NULL OR state = ANY($3::text[]))
          AND (EXISTS (SELECT 1 FROM unnest($4::text[], $5::text[]) AS f(ns, id) WHERE f.ns = executions.namespace AND f.id = executions.flow_id)
               OR namespace = ANY($6::text[]))
        GROUP BY namespace, flow_id`,
      [request.startDate, request.endDate, request.states ? [...request.states] : null, flows.map((f) => f.namespace), flows.map((f) => f.flowId), [...(request.namespaces ?? [])]],
    );
    const rows = r.rows.map((row) => ({ namespace: row.namespace, flowId: row.flow_id, count: Number(row.count) }));
    const result: ExecutionCountRow[] = flows.map((f) => ({
      namespace: f.namespace, flowId: f.flowId, count: rows.find((row) => row.namespace === f.namespace && row.flowId === f.flowId)?.count ?? 0,
    }));
    if (request.namespaces !== undefined) {
      const byNamespace = new Map<string, number>();
      for (const row of rows) byNamespace.set(row.namespace, (byNamespace.get(row.namespace) ?? 0) + row.count);
      for (const [namespace, count] of byNamespace) result.push({ namespace, flowId: null, count });
    }
    return result;
  }

  /**
   * WaitForExecution's selection by labels: `labels @>` uses the GIN index of the read model; the
   * namespace and those below it (a flow may watch no other: the target checks it again).
   */
  async newestWithLabels(query: LabelledExecutionQuery): Promise<string | null> {
    const r = await this.pool.query<{ id: string }>(
      `SELECT id FROM executions
        WHERE labels @> $1::jsonb AND id <> $2 AND (namespace = $3 OR namespace LIKE $4)
        ORDER BY start_date DESC, id DESC LIMIT 1`,
      [JSON.stringify(query.labels), query.excludeId, query.namespace, `${query.namespace.replace(/[\\%_]/g, (c) => `\\${c}`)}.%`],
    );
    return r.rows[0]?.id ?? null;
  }

  /** Kestra's ExecutionService.purge over ended executions: started at or after `startDate`, ended at or before `endDate`. */
  async purge(request: ExecutionPurgeRequest): Promise<ExecutionPurgeCounts> {
    const states = request.states?.length ? [...request.states] : [...TERMINAL_STATES];
    const live = states.filter((s) => !TERMINAL_STATES.has(s));
    if (live.length > 0) throw new Error(`only ended executions can be purged; ${live.join(', ')} ${live.length > 1 ? 'are' : 'is'} not a terminal state`);
    if (request.purgeMetric !== request.purgeExecution) throw new Error('purgeMetric must equal purgeExecution: a task\'s metrics are purged with their execution and only with it');
    const { selected, logsCount, metricsCount } = await inTransaction(this.pool, async (client) => {
      if (request.purgeExecution) await client.query('SELECT name FROM projection_checkpoints WHERE name = $1 FOR UPDATE', [EXECUTION_PROJECTION]);
      const all = request.namespaces === 'all';
      const prefixes = all ? [] : [...request.namespaces];
      const selected = (await client.query<{ id: string; namespace: string; flow_id: string }>(
        `SELECT id, namespace, flow_id FROM executions
          WHERE state = ANY($1::text[]) AND end_date IS NOT NULL AND end_date <= $2::timestamptz
            AND ($3::timestamptz IS NULL OR start_date >= $3::timestamptz)
            AND ($4::text IS NULL OR flow_id = $4::text)
            AND ($5::boolean OR EXISTS (SELECT 1 FROM unnest($6::text[]) AS p(ns)
                 WHERE executions.namespace = p.ns OR ($4::text IS NULL AND executions.namespace LIKE p.ns || '.%')))
          ORDER BY end_date, id FOR UPDATE`,
        [states, request.endDate, request.startDate ?? null, request.flowId ?? null, all, prefixes],
      )).rows;
      const ids = selected.map((s) => s.id);
      const logsCount = ids.length > 0 && request.purgeLog ? (await client.query('DELETE FROM logs WHERE execution_id = ANY($1::text[])', [ids])).rowCount ?? 0 : 0;
      // A task's metrics live with its attempts (in the stream and in task_runs): counted here, they
      // are deleted below with the execution's rows and stream.
      const metricsCount = ids.length > 0 && request.purgeMetric && request.purgeExecution ? Number((await client.query<{ n: string }>(
        `SELECT COALESCE(sum(jsonb_array_length(COALESCE(a->'metrics', '[]'::jsonb))), 0) AS n
           FROM task_runs, jsonb_array_elements(attempts) AS a WHERE execution_id = ANY($1::text[])`, [ids],
      )).rows[0]?.n ?? 0) : 0;
      if (ids.length > 0 && request.purgeExecution) {
        await client.query(
          `INSERT INTO purged_executions (id, namespace, flow_id, state, purged_at, purged_by)
           SELECT id, namespace, flow_id, state, $2, $3 FROM executions WHERE id = ANY($1::text[]) ON CONFLICT (id) DO NOTHING`,
          [ids, request.now, request.actor],
        );
        await client.query('DELETE FROM task_runs WHERE execution_id = ANY($1::text[])', [ids]);
        await client.query('DELETE FROM audit_log WHERE execution_id = ANY($1::text[])', [ids]);
        await client.query('DELETE FROM executions WHERE id = ANY($1::text[])', [ids]);
      }
      return { selected, logsCount, metricsCount };
    });
    if (request.purgeExecution) {
      for (const { id } of selected) {
        await this.store.deleteStream(executionStreamId(id));
        await this.pool.query('UPDATE purged_executions SET stream_deleted = true WHERE id = $1', [id]);
      }
    }
    let storagesCount = 0;
    if (request.purgeStorage) {
      for (const s of selected) storagesCount += (await this.storage.deleteByPrefix(executionPrefix({ namespace: s.namespace, flowId: s.flow_id, executionId: s.id }))).length;
    }
    return { executionsCount: request.purgeExecution ? selected.length : 0, logsCount, storagesCount, metricsCount };
  }
}
