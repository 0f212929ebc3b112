import { executionStreamId, TERMINAL_STATES, type State } from '@chronicle/domain';
import type { EventStore } from '@chronicle/event-store';
import type { DataSource, EntityManager } from 'typeorm';
import { EXECUTION_PROJECTION } from '../projection/execution-projector.js';
import { loadExecutions } from '../projection/execution-rows.writer.js';
import { statsRemovals, writeExecutionStats } from '../projection/execution-stats.writer.js';
import { CodedError } from '@chronicle/errors';

export const DEFAULT_PURGE_LIMIT = 1_000;
export const MAX_PURGE_LIMIT = 10_000;
/** Streams deleted at once: a purge must not take every connection of the pool. */
const DELETE_CONCURRENCY = 8;

export interface PurgeRequest {
  /** Executions that ended (or, never ended, started) more than this many days before `now`. */
  readonly olderThanDays?: number;
  readonly namespace?: string;
  /** Only these executions (REST `DELETE /api/v1/executions/{id}`). */
  readonly executionIds?: readonly string[];
  /** Terminal states only; default all of them (a live execution is never purged). */
  readonly states?: readonly State[];
  /** True: list what would go and change nothing. */
  readonly dryRun: boolean;
  readonly now: Date;
  /** Who purges (kept in the ledger). */
  readonly actor?: string;
  /** At most this many executions per call, oldest first (default 1000, at most 10000). */
  readonly limit?: number;
}

export interface PurgeResult {
  readonly executionIds: readonly string[];
  readonly count: number;
  readonly dryRun: boolean;
}

/** The purge request cannot run as asked. Maps to BAD_USER_INPUT. */
export class InvalidPurgeError extends CodedError {
  constructor(message: string) {
    super('PURGE_INVALID', message);
  }
}

/**
 * Retention: removes ended executions from the read model (executions, task_runs, logs,
 * audit_log) and their streams from the event store. The selection is oldest first, so a dry
 * run with the same arguments and `now` lists exactly what the real run removes.
 *
 * Order, for safety: (1) one transaction records the ids in the `purged_executions` ledger and
 * deletes their rows, holding the projection's checkpoint row, so a projector batch either
 * committed before (its rows are deleted) or runs after and skips the ledger's ids; (2) the
 * streams are deleted (tombstones), and each ledger row marked done. A purge interrupted
 * between (1) and (2) finishes on the next call, which first deletes the pending streams.
 */
export async function purgeExecutions(dataSource: DataSource, store: EventStore, request: PurgeRequest): Promise<PurgeResult> {
  const filter = purgeFilter(request);
  if (request.dryRun) {
    const ids = await selectExecutions(dataSource.manager, filter, false);
    return { executionIds: ids, count: ids.length, dryRun: true };
  }
  await deletePendingStreams(dataSource, store);
  const ids = await dataSource.transaction(async (manager) => {
    await manager.query('SELECT name FROM projection_checkpoints WHERE name = $1 FOR UPDATE', [EXECUTION_PROJECTION]);
    const selected = await selectExecutions(manager, filter, true);
    if (selected.length === 0) return selected;
    await manager.query(
      `INSERT INTO purged_executions (id, namespace, flow_id, state, purged_at, purged_by)
       SELECT id, namespace, flow_id, state, $2, $3 FROM executions WHERE id = ANY($1::text[])
       ON CONFLICT (id) DO NOTHING`,
      [selected, request.now.toISOString(), request.actor ?? null],
    );
    const purged = await loadExecutions(manager, selected);
    await writeExecutionStats(manager, statsRemovals([...purged.values()].map((p) => p.doc)));
    await manager.query('DELETE FROM task_runs WHERE execution_id = ANY($1::text[])', [selected]);
    await manager.query('DELETE FROM logs WHERE execution_id = ANY($1::text[])', [selected]);
    await manager.query('DELETE FROM audit_log WHERE execution_id = ANY($1::text[])', [selected]);
    await manager.query('DELETE FROM executions WHERE id = ANY($1::text[])', [selected]);
    return selected;
  });
  await deleteStreams(dataSource, store, ids);
  return { executionIds: ids, count: ids.length, dryRun: false };
}

interface PurgeFilter {
  readonly cutoff?: string;
  readonly namespace?: string;
  readonly ids?: readonly string[];
  readonly states: readonly State[];
  readonly limit: number;
}

function purgeFilter(request: PurgeRequest): PurgeFilter {
  const { olderThanDays, namespace } = request;
  if (olderThanDays === undefined && namespace === undefined && !request.executionIds?.length) throw new InvalidPurgeError('purge needs olderThanDays, namespace or both');
  if (olderThanDays !== undefined && (!Number.isFinite(olderThanDays) || olderThanDays < 0)) throw new InvalidPurgeError('olderThanDays must be 0 or more');
  const states = request.states?.length ? request.states : [...TERMINAL_STATES];
  const live = states.filter((s) => !TERMINAL_STATES.has(s));
  if (live.length > 0) throw new InvalidPurgeError(`only ended executions can be purged; ${live.join(', ')} ${live.length > 1 ? 'are' : 'is'} not a terminal state`);
  const limit = request.limit ?? DEFAULT_PURGE_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PURGE_LIMIT) throw new InvalidPurgeError(`limit must be between 1 and ${MAX_PURGE_LIMIT}`);
  const cutoff = olderThanDays === undefined ? undefined : new Date(request.now.getTime() - olderThanDays * 86_400_000).toISOString();
  return { cutoff, namespace, ids: request.executionIds, states, limit };
}

/** Oldest first (end date, then id): the same arguments select the same executions. */
async function selectExecutions(manager: EntityManager, filter: PurgeFilter, lock: boolean): Promise<string[]> {
  const rows: { id: string }[] = await manager.query(
    `SELECT id FROM executions
      WHERE state = ANY($1::text[])
        AND ($2::timestamptz IS NULL OR coalesce(end_date, start_date) < $2::timestamptz)
        AND ($3::text IS NULL OR namespace = $3::text)
        AND ($5::text[] IS NULL OR id = ANY($5::text[]))
      ORDER BY coalesce(end_date, start_date), id
      LIMIT $4${lock ? ' FOR UPDATE' : ''}`,
    [filter.states, filter.cutoff ?? null, filter.namespace ?? null, filter.limit, filter.ids ?? null],
  );
  return rows.map((r) => r.id);
}

/** Streams of an earlier purge that stopped before deleting them. */
async function deletePendingStreams(dataSource: DataSource, store: EventStore): Promise<void> {
  const rows: { id: string }[] = await dataSource.query('SELECT id FROM purged_executions WHERE NOT stream_deleted ORDER BY purged_at LIMIT $1', [MAX_PURGE_LIMIT]);
  await deleteStreams(dataSource, store, rows.map((r) => r.id));
}

async function deleteStreams(dataSource: DataSource, store: EventStore, ids: readonly string[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++]!;
      await store.deleteStream(executionStreamId(id));
      await dataSource.query('UPDATE purged_executions SET stream_deleted = true WHERE id = $1', [id]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(DELETE_CONCURRENCY, ids.length) }, worker));
}
