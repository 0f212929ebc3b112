import type { Execution } from '@chronicle/domain';
import type { EntityManager } from 'typeorm';
import type { FoldedExecution, StoredExecution } from './execution-fold.js';
import { CombinedWrites } from './combined-writes.js';

/** Duration bins: two per doubling of milliseconds, 0..63 (bin b holds about 2^(b/2) ms). */
export const DURATION_BINS = 64;
export const UNFINISHED_BIN = -1;

export const durationBin = (ms: number): number => Math.min(DURATION_BINS - 1, Math.max(0, Math.floor(2 * Math.log2(Math.max(1, ms)))));
/** The middle of a bin, in ms: what a percentile inside it reads as. */
export const binMiddleMs = (bin: number): number => 2 ** ((bin + 0.5) / 2);

interface StatsKey { bucket: string; namespace: string; flow_id: string; state: string; duration_bin: number }

/** Where one execution counts: its start's minute, its flow, its state now and its duration bin. */
export function statsKey(doc: Execution): StatsKey {
  const started = doc.startDate ?? doc.stateHistory?.[0]?.date ?? new Date(0).toISOString();
  const minute = new Date(started);
  minute.setUTCSeconds(0, 0);
  const ms = doc.startDate && doc.endDate ? Date.parse(doc.endDate) - Date.parse(doc.startDate) : undefined;
  return {
    bucket: minute.toISOString(),
    namespace: doc.namespace,
    flow_id: doc.flowId,
    state: doc.state,
    duration_bin: ms === undefined ? UNFINISHED_BIN : durationBin(ms),
  };
}

const keyString = (k: StatsKey) => `${k.bucket}|${k.namespace}|${k.flow_id}|${k.state}|${k.duration_bin}`;

/** The change a batch makes to the aggregates: each execution leaves its old place, enters its new one. */
export function statsDeltas(stored: ReadonlyMap<string, StoredExecution>, folded: readonly FoldedExecution[]): Array<StatsKey & { delta: number }> {
  return collect((add) => {
    for (const execution of folded) {
      const before = stored.get(execution.id);
      if (before) add(statsKey(before.doc), -1);
      add(statsKey(execution.doc), 1);
    }
  });
}

/** Purged executions leave the aggregates, as a rebuild (which skips them) would leave them out. */
export function statsRemovals(docs: readonly Execution[]): Array<StatsKey & { delta: number }> {
  return collect((add) => docs.forEach((doc) => add(statsKey(doc), -1)));
}

function collect(fill: (add: (key: StatsKey, delta: number) => void) => void): Array<StatsKey & { delta: number }> {
  const deltas = new Map<string, StatsKey & { delta: number }>();
  fill((key, delta) => {
    const k = keyString(key);
    const current = deltas.get(k);
    if (current) current.delta += delta;
    else deltas.set(k, { ...key, delta });
  });
  // Sorted: concurrent writers lock rows in one order.
  return [...deltas.values()].filter((d) => d.delta !== 0).sort((a, b) => keyString(a).localeCompare(keyString(b)));
}

/** The same deltas per hour, for `execution_stats_hourly`. */
export function hourlyDeltas(deltas: ReadonlyArray<StatsKey & { delta: number }>): Array<StatsKey & { delta: number }> {
  const hourly = new Map<string, StatsKey & { delta: number }>();
  for (const d of deltas) {
    const hour = new Date(d.bucket);
    hour.setUTCMinutes(0, 0, 0);
    const key = { ...d, bucket: hour.toISOString() };
    const k = keyString(key);
    const current = hourly.get(k);
    if (current) current.delta += d.delta;
    else hourly.set(k, { ...key });
  }
  return [...hourly.values()].filter((d) => d.delta !== 0).sort((a, b) => keyString(a).localeCompare(keyString(b)));
}

/** Applies the deltas to both tables in the caller's transaction; rows that fall to zero go. */
export async function writeExecutionStats(manager: EntityManager, deltas: ReadonlyArray<StatsKey & { delta: number }>): Promise<void> {
  await upsertExecutionStats(manager, deltas);
  await deleteEmptyExecutionStats(manager, deltas);
}

/**
 * The counters' upserts, one per table: they touch only the stats tables, so a batch hands them to
 * its combined statement (see CombinedWrites) beside its other writes.
 */
export async function upsertExecutionStats(manager: EntityManager, deltas: ReadonlyArray<StatsKey & { delta: number }>): Promise<void> {
  if (deltas.length === 0) return;
  for (const [table, rows] of perTable(deltas)) {
    if (rows.length === 0) continue;
    await manager.query(
      `INSERT INTO ${table} (bucket, namespace, flow_id, state, duration_bin, executions)
       SELECT x.bucket, x.namespace, x.flow_id, x.state, x.duration_bin, x.delta
         FROM jsonb_to_recordset($1::jsonb) AS x(bucket timestamptz, namespace text, flow_id text, state text, duration_bin smallint, delta int)
       ON CONFLICT (bucket, namespace, flow_id, state, duration_bin) DO UPDATE SET executions = ${table}.executions + EXCLUDED.executions`,
      [JSON.stringify(rows)],
    );
  }
}

/** The counters the upserts brought to zero go: after the upserts, in one statement for both tables. */
export async function deleteEmptyExecutionStats(manager: EntityManager, deltas: ReadonlyArray<StatsKey & { delta: number }>): Promise<void> {
  if (!deltas.some((d) => d.delta < 0)) return;
  const writes = new CombinedWrites();
  for (const [table, rows] of perTable(deltas)) {
    if (!rows.some((d) => d.delta < 0)) continue;
    await writes.manager.query(
      `DELETE FROM ${table} s USING jsonb_to_recordset($1::jsonb) AS x(bucket timestamptz, namespace text, flow_id text, state text, duration_bin smallint)
        WHERE s.bucket = x.bucket AND s.namespace = x.namespace AND s.flow_id = x.flow_id AND s.state = x.state
          AND s.duration_bin = x.duration_bin AND s.executions <= 0`,
      [JSON.stringify(rows.filter((d) => d.delta < 0))],
    );
  }
  await writes.flush(manager);
}

const perTable = (deltas: ReadonlyArray<StatsKey & { delta: number }>): Array<['execution_stats' | 'execution_stats_hourly', ReadonlyArray<StatsKey & { delta: number }>]> =>
  [['execution_stats', deltas], ['execution_stats_hourly', hourlyDeltas(deltas)]];
