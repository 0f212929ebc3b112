import type { EntityManager } from 'typeorm';
import { binMiddleMs, UNFINISHED_BIN } from '../projection/execution-stats.writer.js';
import { CodedError } from '@chronicle/errors';

export interface DashboardInput {
  readonly from: Date;
  readonly to: Date;
  readonly namespace?: string;
  readonly flowId?: string;
  /** Width of a time bucket; the default gives about 30 buckets over the range. */
  readonly bucketSeconds?: number;
}

export interface DashboardBucketView {
  readonly start: string;
  readonly states: Readonly<Record<string, number>>;
  readonly total: number;
  /** SUCCESS over finished executions; undefined when none finished. */
  readonly successRatio?: number;
  readonly p50Ms?: number;
  readonly p95Ms?: number;
  readonly p99Ms?: number;
}

export interface DashboardFlowView {
  readonly namespace: string;
  readonly flowId: string;
  readonly executions: number;
  readonly failed: number;
}

export interface DashboardView {
  readonly from: string;
  readonly to: string;
  readonly bucketSeconds: number;
  readonly total: number;
  readonly states: Readonly<Record<string, number>>;
  readonly successRatio?: number;
  readonly p50Ms?: number;
  readonly p95Ms?: number;
  readonly p99Ms?: number;
  readonly buckets: readonly DashboardBucketView[];
  readonly busiestFlows: readonly DashboardFlowView[];
  readonly failingFlows: readonly DashboardFlowView[];
  /** Now, whatever the range. */
  readonly running: number;
  readonly queued: number;
}

export class InvalidDashboardRangeError extends CodedError {
  constructor(message: string) {
    super('DASHBOARD_RANGE_INVALID', message);
  }
}

const FAILED_STATES = new Set(['FAILED', 'KILLED']);
const FINISHED_STATES = new Set(['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED']);
const RUNNING_STATES = ['RUNNING', 'PAUSED', 'KILLING', 'RETRYING', 'RESTARTED'];
const QUEUED_STATES = ['CREATED', 'QUEUED'];
const MAX_BUCKETS = 500;

/** A percentile of a duration histogram (bin → count), read at the middle of its bin. */
export function percentileMs(histogram: ReadonlyMap<number, number>, p: number): number | undefined {
  const total = [...histogram.values()].reduce((s, c) => s + c, 0);
  if (total === 0) return undefined;
  const rank = Math.ceil(p * total);
  let seen = 0;
  for (const bin of [...histogram.keys()].sort((a, b) => a - b)) {
    seen += histogram.get(bin)!;
    if (seen >= rank) return Math.round(binMiddleMs(bin));
  }
  return undefined;
}

const niceBucket = (rangeSeconds: number): number => {
  const steps = [60, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 604800];
  return steps.find((s) => rangeSeconds / s <= 40) ?? 604800;
};

interface Row { bucket: string; namespace: string; flow_id: string; state: string; duration_bin: number; executions: number }

/** The dashboard over `execution_stats`: a sum over minute rows, never a scan of executions. */
export async function getDashboard(manager: EntityManager, input: DashboardInput): Promise<DashboardView> {
  const from = input.from.getTime();
  const to = input.to.getTime();
  if (!(to > from)) throw new InvalidDashboardRangeError('the dashboard range needs `to` after `from`');
  const bucketSeconds = input.bucketSeconds ?? niceBucket((to - from) / 1000);
  if (bucketSeconds < 60 || (to - from) / 1000 / bucketSeconds > MAX_BUCKETS) {
    throw new InvalidDashboardRangeError(`bucketSeconds must be at least 60 and give at most ${MAX_BUCKETS} buckets over the range`);
  }
  const filters: string[] = [];
  const params: unknown[] = [new Date(from).toISOString(), new Date(to).toISOString(), bucketSeconds];
  if (input.namespace) (params.push(input.namespace), filters.push(`AND namespace = $${params.length}`));
  if (input.flowId) (params.push(input.flowId), filters.push(`AND flow_id = $${params.length}`));
  // Whole hours read the hourly aggregates; anything finer the per-minute ones.
  const HOUR = 3_600_000;
  const table = bucketSeconds % 3600 === 0 && from % HOUR === 0 && to % HOUR === 0 ? 'execution_stats_hourly' : 'execution_stats';
  // Grouped in SQL by bucket, flow, state and bin: at most that many rows travel.
  const rows: Row[] = await manager.query(
    `SELECT date_bin(make_interval(secs => $3), bucket, $1::timestamptz) AS bucket, namespace, flow_id, state, duration_bin,
            sum(executions)::int AS executions
       FROM ${table}
      WHERE bucket >= $1::timestamptz AND bucket < $2::timestamptz ${filters.join(' ')}
      GROUP BY 1, 2, 3, 4, 5`,
    params,
  );
  const nowParams: unknown[] = [[...RUNNING_STATES, ...QUEUED_STATES]];
  const nowFilters: string[] = [];
  if (input.namespace) (nowParams.push(input.namespace), nowFilters.push(`AND namespace = $${nowParams.length}`));
  if (input.flowId) (nowParams.push(input.flowId), nowFilters.push(`AND flow_id = $${nowParams.length}`));
  const now: Array<{ state: string; executions: number }> = await manager.query(
    `SELECT state, sum(executions)::int AS executions FROM execution_stats_hourly WHERE state = ANY($1::text[]) ${nowFilters.join(' ')} GROUP BY state`,
    nowParams,
  );

  const buckets = new Map<number, { states: Record<string, number>; hist: Map<number, number> }>();
  for (let t = from; t < to; t += bucketSeconds * 1000) buckets.set(t, { states: {}, hist: new Map() });
  const allHist = new Map<number, number>();
  const allStates: Record<string, number> = {};
  const flows = new Map<string, DashboardFlowView & { executions: number; failed: number }>();
  for (const row of rows) {
    const at = new Date(row.bucket).getTime();
    const bucket: { states: Record<string, number>; hist: Map<number, number> } = buckets.get(at) ?? { states: {}, hist: new Map() };
    buckets.set(at, bucket);
    bucket.states[row.state] = (bucket.states[row.state] ?? 0) + row.executions;
    allStates[row.state] = (allStates[row.state] ?? 0) + row.executions;
    if (row.duration_bin !== UNFINISHED_BIN) {
      bucket.hist.set(row.duration_bin, (bucket.hist.get(row.duration_bin) ?? 0) + row.executions);
      allHist.set(row.duration_bin, (allHist.get(row.duration_bin) ?? 0) + row.executions);
    }
    const key = `${row.namespace}\u0000${row.flow_id}`;
    const flow = flows.get(key) ?? { namespace: row.namespace, flowId: row.flow_id, executions: 0, failed: 0 };
    flow.executions += row.executions;
    if (FAILED_STATES.has(row.state)) flow.failed += row.executions;
    flows.set(key, flow);
  }
  const ratio = (states: Record<string, number>) => {
    const finished = Object.entries(states).filter(([s]) => FINISHED_STATES.has(s)).reduce((sum, [, c]) => sum + c, 0);
    return finished ? (states.SUCCESS ?? 0) / finished : undefined;
  };
  const sum = (states: Record<string, number>) => Object.values(states).reduce((s, c) => s + c, 0);
  const percentiles = (hist: Map<number, number>) => ({ p50Ms: percentileMs(hist, 0.5), p95Ms: percentileMs(hist, 0.95), p99Ms: percentileMs(hist, 0.99) });
  const flowList = [...flows.values()];
  const nowCount = (states: string[]) => now.filter((r) => states.includes(r.state)).reduce((s, r) => s + r.executions, 0);
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    bucketSeconds,
    total: sum(allStates),
    states: allStates,
    successRatio: ratio(allStates),
    ...percentiles(allHist),
    buckets: [...buckets.entries()]
      .sort(([a], [b]) => a - b)
      .map(([at, b]) => ({ start: new Date(at).toISOString(), states: b.states, total: sum(b.states), successRatio: ratio(b.states), ...percentiles(b.hist) })),
    busiestFlows: [...flowList].sort((a, b) => b.executions - a.executions || a.flowId.localeCompare(b.flowId)).slice(0, 10),
    failingFlows: flowList.filter((f) => f.failed > 0).sort((a, b) => b.failed - a.failed || a.flowId.localeCompare(b.flowId)).slice(0, 10),
    running: nowCount(RUNNING_STATES),
    queued: nowCount(QUEUED_STATES),
  };
}
