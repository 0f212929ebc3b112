import type pg from 'pg';
import type { Admission, AdmissionRequest, ConcurrencyPool, ConcurrencySlotStatus, ConcurrencySlotTable } from '@chronicle/use-cases';
import { ensureSchemaLocked } from './schema-lock.js';
import { inTransaction } from './transaction.js';

export type { Admission, AdmissionRequest, ConcurrencyPool };

type SlotStatus = ConcurrencySlotStatus;
interface Row { execution_id: string; status: SlotStatus; priority: number; created_at: Date }

/**
 * Flow concurrency limits across executor replicas. One row per execution that holds a slot
 * ('running', or 'granted' to a queued one the release picked and that has not started yet) or
 * waits for one ('queued'). Every change to a pool runs in a transaction holding that pool's
 * advisory lock, so two replicas deciding two executions of one flow at once cannot both take
 * the last slot.
 *
 * - `admit` runs in the executor's decision path, BEFORE the decision is appended: it reserves
 *   the slot first, so a crash between the two leaves a reservation that the redelivered
 *   AdvanceExecution finds (its own row) and uses, never a running execution without a slot.
 * - `release` runs on the intent of the execution's terminal event (the relay re-sends it until
 *   it is handled, so a slot is never leaked): it frees the slot, grants freed slots to the
 *   queue's head (priority, then age) and answers every granted execution, to which the caller
 *   sends AdvanceExecution. A redelivered release answers them again (AdvanceExecution is
 *   idempotent), so a crash before that send loses nothing.
 */
export class ConcurrencySlots implements ConcurrencySlotTable {
  constructor(private readonly pool: pg.Pool) {}

  async ensureSchema(): Promise<void> {
    await ensureSchemaLocked(this.pool, 'concurrency_slots', [`CREATE TABLE IF NOT EXISTS concurrency_slots (
      execution_id text PRIMARY KEY,
      namespace text NOT NULL,
      flow_id text NOT NULL,
      concurrency_key text NOT NULL,
      status text NOT NULL CHECK (status IN ('queued', 'granted', 'running')),
      priority int NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now())`,
      'CREATE INDEX IF NOT EXISTS concurrency_slots_pool_idx ON concurrency_slots (namespace, flow_id, concurrency_key)',
    ]);
  }

  /** A queued execution's priority changed (updateExecution): its place in the queue follows. */
  async reprioritize(executionId: string, priority: number): Promise<void> {
    await this.pool.query(`UPDATE concurrency_slots SET priority = $2, updated_at = now() WHERE execution_id = $1 AND status = 'queued'`, [executionId, priority]);
  }

  /** May this CREATED or QUEUED execution start now? Reserves its slot when it may. */
  async admit(request: AdmissionRequest): Promise<Admission> {
    return this.inPool(request.pool, async (client, rows) => {
      const mine = rows.find((r) => r.execution_id === request.executionId);
      const others = rows.filter((r) => r.execution_id !== request.executionId);
      const holders = others.filter((r) => r.status !== 'queued').length;
      const me = { priority: request.priority, created_at: new Date(request.createdAt), execution_id: request.executionId };
      const ahead = others.filter((r) => r.status === 'queued' && ranksBefore(r, me)).length;
      const admitted = mine?.status === 'granted' || mine?.status === 'running' || (holders < request.limit && ahead === 0);
      if (admitted) await this.upsert(client, request, 'running');
      else if (request.behavior === 'QUEUE') await this.upsert(client, request, mine?.status ?? 'queued');
      else if (mine) await client.query('DELETE FROM concurrency_slots WHERE execution_id = $1', [request.executionId]);
      return { admitted, running: admitted ? holders : Math.max(holders, request.limit) };
    });
  }

  /**
   * The execution ended: frees its slot (or its place in the queue), grants the free slots to
   * the queue's head and returns every execution of the pool holding a granted slot.
   */
  async release(executionId: string, pool: ConcurrencyPool, limit: number): Promise<string[]> {
    return this.inPool(pool, async (client, rows) => {
      await client.query('DELETE FROM concurrency_slots WHERE execution_id = $1', [executionId]);
      const left = rows.filter((r) => r.execution_id !== executionId);
      const free = limit - left.filter((r) => r.status !== 'queued').length;
      const queue = left.filter((r) => r.status === 'queued').sort((a, b) => (ranksBefore(a, b) ? -1 : 1));
      const granted = queue.slice(0, Math.max(0, free)).map((r) => r.execution_id);
      if (granted.length > 0) {
        await client.query(`UPDATE concurrency_slots SET status = 'granted', updated_at = now() WHERE execution_id = ANY($1)`, [granted]);
      }
      return [...left.filter((r) => r.status === 'granted').map((r) => r.execution_id), ...granted];
    });
  }

  /** Rows of the pool, for tests and diagnostics. */
  async entries(pool: ConcurrencyPool): Promise<Array<{ executionId: string; status: SlotStatus }>> {
    const result = await this.pool.query<Row>(
      'SELECT execution_id, status FROM concurrency_slots WHERE namespace = $1 AND flow_id = $2 AND concurrency_key = $3 ORDER BY created_at, execution_id',
      [pool.namespace, pool.flowId, pool.key],
    );
    return result.rows.map((r) => ({ executionId: r.execution_id, status: r.status }));
  }

  private async inPool<T>(pool: ConcurrencyPool, work: (client: pg.PoolClient, rows: Row[]) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, async (client) => {
      // One lock per pool: a hash collision only serialises two unrelated pools.
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 7))', [`${pool.namespace}\u001f${pool.flowId}\u001f${pool.key}`]);
      const { rows } = await client.query<Row>(
        'SELECT execution_id, status, priority, created_at FROM concurrency_slots WHERE namespace = $1 AND flow_id = $2 AND concurrency_key = $3',
        [pool.namespace, pool.flowId, pool.key],
      );
      return work(client, rows);
    });
  }

  private async upsert(client: pg.PoolClient, request: AdmissionRequest, status: SlotStatus): Promise<void> {
    await client.query(
      `INSERT INTO concurrency_slots (execution_id, namespace, flow_id, concurrency_key, status, priority, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (execution_id) DO UPDATE SET status = EXCLUDED.status, updated_at = now()`,
      [request.executionId, request.pool.namespace, request.pool.flowId, request.pool.key, status, request.priority, request.createdAt],
    );
  }
}

/** Queue order: higher priority first, then the oldest, then by id (a total order). */
const ranksBefore = (a: Pick<Row, 'priority' | 'created_at' | 'execution_id'>, b: Pick<Row, 'priority' | 'created_at' | 'execution_id'>): boolean => {
  if (a.priority !== b.priority) return a.priority > b.priority;
  if (a.created_at.getTime() !== b.created_at.getTime()) return a.created_at.getTime() < b.created_at.getTime();
  return a.execution_id < b.execution_id;
};
