import type pg from 'pg';
import type { LockClaimRequest, LockGrant, NamedLockTable, NamedLockView, StoredLockClaim } from '@chronicle/use-cases';
import { ensureSchemaLocked } from './schema-lock.js';
import { inTransaction } from './transaction.js';

interface Row {
  execution_id: string; holder: string; task_run_id: string | null; names: string[]; namespace: string; flow_id: string;
  status: 'waiting' | 'held'; priority: number; requested_at: Date; granted_at: Date | null; seq: string;
}

/**
 * Named locks across executor replicas (the application's side; the domain's is in
 * execution/locks). One row per claim: a holder (an execution or a task run) asking for ALL of
 * its lock names at once. Every change runs in one transaction holding one advisory lock, and
 * a claim is granted whole or not at all, so no holder ever holds part of what it needs while
 * waiting for the rest: waiting claims cannot deadlock. The queue order is priority (higher
 * first), then the time asked, then arrival; a claim never overtakes an earlier one on a lock
 * they share, so a claim for many locks is not starved by a stream of claims for one of them.
 * Durable: the table is the truth of who holds what; the events say what each execution asked
 * for and got, and a release that never came is caught by the lease sweep (`stale`).
 * A lock belongs to the namespace of the flow that asks for it: `db` of teamA and `db` of teamB
 * are two locks (a claim's names are its namespace's), so one team can neither hold, block nor
 * see another's. Namespaces share no lock: Chronicle has no way to name another's.
 */
export class NamedLocks implements NamedLockTable {
  constructor(private readonly pool: pg.Pool) {}

  async ensureSchema(): Promise<void> {
    await ensureSchemaLocked(this.pool, 'named_lock_claims', [`CREATE TABLE IF NOT EXISTS named_lock_claims (
      holder text PRIMARY KEY,
      execution_id text NOT NULL,
      task_run_id text,
      names text[] NOT NULL,
      namespace text NOT NULL,
      flow_id text NOT NULL,
      status text NOT NULL CHECK (status IN ('waiting', 'held')),
      priority int NOT NULL DEFAULT 0,
      requested_at timestamptz NOT NULL,
      granted_at timestamptz,
      seq bigserial NOT NULL)`,
      'CREATE INDEX IF NOT EXISTS named_lock_claims_names_idx ON named_lock_claims USING gin (names)',
    ]);
  }

  /**
   * Queues the claim (once) and grants what can be granted now. Returns the grants to answer:
   * this claim's when it holds (again, for a redelivered request: GrantLocks is idempotent).
   */
  async acquire(request: LockClaimRequest): Promise<LockGrant[]> {
    return this.locked(async (client) => {
      await client.query(
        `INSERT INTO named_lock_claims (holder, execution_id, task_run_id, names, namespace, flow_id, status, priority, requested_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'waiting', $7, $8) ON CONFLICT (holder) DO NOTHING`,
        [request.holder, request.executionId, request.taskRunId ?? null, [...request.names].sort(), request.namespace, request.flowId, request.priority, request.requestedAt],
      );
      const granted = await this.grant(client);
      const mine = await client.query<Row>(`SELECT * FROM named_lock_claims WHERE holder = $1 AND status = 'held'`, [request.holder]);
      const again = mine.rows.filter((r) => !granted.some((g) => g.holder === r.holder)).map(grantOf);
      return [...granted, ...again];
    });
  }

  /** The holder ended or gave up: its claim goes, and the claims that can be granted now are. */
  async release(holder: string): Promise<LockGrant[]> {
    return this.locked(async (client) => {
      await client.query('DELETE FROM named_lock_claims WHERE holder = $1', [holder]);
      return this.grant(client);
    });
  }

  /**
   * The execution's priority changed (updateExecution): its waiting claims (its own and its task
   * runs') take their new place in the queues, and the claims that can be granted in the new
   * order are. A held claim keeps what it holds.
   */
  async reprioritize(executionId: string, priority: number): Promise<LockGrant[]> {
    return this.locked(async (client) => {
      const moved = await client.query(`UPDATE named_lock_claims SET priority = $2 WHERE execution_id = $1 AND status = 'waiting' AND priority <> $2`, [executionId, priority]);
      return (moved.rowCount ?? 0) > 0 ? this.grant(client) : [];
    });
  }

  /**
   * An ADMIN force-releases `name` (Cloudomation's `ignore_lock`): the holder keeps running
   * without it, the next waiter gets it. Returns who held it (undefined: nobody) and the grants.
   */
  async forceRelease(namespace: string, name: string): Promise<{ previous?: StoredLockClaim; granted: LockGrant[] }> {
    return this.locked(async (client) => {
      const held = await client.query<Row>(`SELECT * FROM named_lock_claims WHERE status = 'held' AND namespace = $1 AND $2 = ANY(names)`, [namespace, name]);
      const previous = held.rows[0];
      if (previous === undefined) return { granted: [] };
      await client.query('UPDATE named_lock_claims SET names = array_remove(names, $2) WHERE holder = $1', [previous.holder, name]);
      return { previous: claimOf(previous), granted: await this.grant(client) };
    });
  }

  /** Who holds `name` of `namespace` now, if anyone. */
  async holderOf(namespace: string, name: string): Promise<StoredLockClaim | undefined> {
    const result = await this.pool.query<Row>(`SELECT * FROM named_lock_claims WHERE status = 'held' AND namespace = $1 AND $2 = ANY(names)`, [namespace, name]);
    return result.rows[0] === undefined ? undefined : claimOf(result.rows[0]);
  }

  /**
   * Every lock that is held or waited for, by namespace and name, with its waiters in queue
   * order; only `names` and only the locks of `namespaces` when given (the caller's: the table
   * is filtered in the query, so another namespace's claims never leave it).
   */
  async list(filter: { names?: readonly string[]; namespaces?: readonly string[] } = {}): Promise<NamedLockView[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.names !== undefined) where.push(`names && $${params.push([...filter.names])}::text[]`);
    if (filter.namespaces !== undefined) where.push(`namespace = ANY($${params.push([...filter.namespaces])}::text[])`);
    const result = await this.pool.query<Row>(`SELECT * FROM named_lock_claims${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}`, params);
    const rows = result.rows.sort(queueOrder);
    const byKey = new Map<string, { namespace: string; name: string; holder?: StoredLockClaim; waiters: StoredLockClaim[] }>();
    for (const row of rows) {
      for (const name of row.names) {
        if (filter.names !== undefined && !filter.names.includes(name)) continue;
        const key = lockKey(row.namespace, name);
        const entry = byKey.get(key) ?? { namespace: row.namespace, name, waiters: [] };
        if (row.status === 'held') entry.holder = claimOf(row);
        else entry.waiters.push(claimOf(row));
        byKey.set(key, entry);
      }
    }
    return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, entry]) => entry);
  }

  /**
   * The lease sweep: claims whose holder ended without its release reaching the table (the
   * read model shows the execution, or the task run, ended, or the execution is gone), untouched
   * since `before`. The caller releases them. Needs the read model's tables.
   */
  async stale(before: Date, limit = 200): Promise<StoredLockClaim[]> {
    const result = await this.pool.query<Row>(
      `SELECT c.* FROM named_lock_claims c
         LEFT JOIN executions e ON e.id = c.execution_id
         LEFT JOIN task_runs t ON t.id = c.task_run_id
        WHERE coalesce(c.granted_at, c.requested_at) < $1
          AND (e.id IS NULL
               OR e.state IN ('SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED', 'RETRIED', 'SKIPPED')
               OR (c.task_run_id IS NOT NULL AND t.state IN ('SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED', 'RETRIED', 'SKIPPED')))
        LIMIT $2`,
      [before.toISOString(), limit],
    );
    return result.rows.map(claimOf);
  }

  /** Grants, in queue order, every waiting claim whose locks are all free and wanted by no earlier waiter. */
  private async grant(client: pg.PoolClient): Promise<LockGrant[]> {
    const { rows } = await client.query<Row>('SELECT * FROM named_lock_claims');
    // A lock is its namespace's: the same name in two namespaces is two locks.
    const keys = (r: Row) => r.names.map((n) => lockKey(r.namespace, n));
    const taken = new Set(rows.filter((r) => r.status === 'held').flatMap(keys));
    const granted: Row[] = [];
    for (const row of rows.filter((r) => r.status === 'waiting').sort(queueOrder)) {
      const free = keys(row).every((k) => !taken.has(k));
      // Either way its names are taken for everyone behind it: held now, or first in line.
      for (const k of keys(row)) taken.add(k);
      if (free) granted.push(row);
    }
    if (granted.length > 0) {
      await client.query(`UPDATE named_lock_claims SET status = 'held', granted_at = now() WHERE holder = ANY($1)`, [granted.map((r) => r.holder)]);
    }
    return granted.map(grantOf);
  }

  private async locked<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, async (client) => {
      await client.query(`SELECT pg_advisory_xact_lock(hashtextextended('chronicle.named-locks', 11))`);
      return work(client);
    });
  }
}

/** A lock's identity: its namespace and its name (NUL is in neither). */
const lockKey = (namespace: string, name: string): string => `${namespace}\u0000${name}`;

/** Higher priority first, then the earliest asked, then arrival (a total order). */
const queueOrder = (a: Row, b: Row): number => {
  if (a.priority !== b.priority) return b.priority - a.priority;
  const at = a.requested_at.getTime() - b.requested_at.getTime();
  if (at !== 0) return at;
  return Number(BigInt(a.seq) - BigInt(b.seq));
};

const grantOf = (r: Row): LockGrant => ({ executionId: r.execution_id, holder: r.holder, names: r.names });

const claimOf = (r: Row): StoredLockClaim => ({
  executionId: r.execution_id,
  holder: r.holder,
  ...(r.task_run_id !== null ? { taskRunId: r.task_run_id } : {}),
  names: r.names,
  namespace: r.namespace,
  flowId: r.flow_id,
  status: r.status,
  priority: r.priority,
  requestedAt: r.requested_at.toISOString(),
  ...(r.granted_at !== null ? { grantedAt: r.granted_at.toISOString() } : {}),
});
