import { GatewayClient } from '@chronicle/testing';
import { NAMESPACE } from './chaos-load.js';

export interface ExecutionRow {
  readonly id: string;
  readonly flowId: string;
  readonly state: string;
  readonly startDate: string | null;
  readonly endDate: string | null;
  readonly revision: number;
  readonly marker: string;
  readonly taskRuns: number;
}

/**
 * A read through the API, tried again when the connection fails (a keep-alive socket the gateway
 * closed as it was reused: "fetch failed", ECONNRESET, seen on a machine at load 40). Reads only:
 * they are safe to repeat. An answer with errors is not retried.
 */
async function read<T>(client: GatewayClient, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.data<T>(query, variables);
    } catch (error) {
      const network = error instanceof TypeError && /fetch failed/.test(error.message);
      if (!network || attempt >= 5) throw error;
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
}

const TERMINAL = new Set(['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED', 'RETRIED']);

/** Every execution of the chaos namespace, through the public GraphQL API (paged). */
export async function allExecutions(client: GatewayClient): Promise<ExecutionRow[]> {
  const rows: ExecutionRow[] = [];
  let after: string | null = null;
  for (;;) {
    const page: { executions: { edges: Array<{ node: any }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await read(
      client,
      `query($n:String,$a:String){ executions(namespace:$n, first:500, after:$a){ edges { node { id flowId state startDate endDate revision inputs trigger taskRuns { id } } } pageInfo { hasNextPage endCursor } } }`,
      { n: NAMESPACE, a: after },
    );
    for (const { node } of page.executions.edges) {
      const marker = node.flowId === 'from-kafka' ? node.inputs?.n : node.trigger?.body?.n;
      rows.push({ id: node.id, flowId: node.flowId, state: node.state, startDate: node.startDate, endDate: node.endDate, revision: node.revision, marker: String(marker), taskRuns: node.taskRuns.length });
    }
    if (!page.executions.pageInfo.hasNextPage) return rows;
    after = page.executions.pageInfo.endCursor;
  }
}

/** Waits until every execution has ended (or the time is up); returns the last listing. */
export async function untilSettled(client: GatewayClient, acked: ReadonlySet<string>, timeoutMs: number): Promise<ExecutionRow[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await allExecutions(client).catch(() => undefined);
    if (rows) {
      const seen = new Set(rows.map((r) => r.marker));
      const done = rows.every((r) => TERMINAL.has(r.state)) && [...acked].every((m) => seen.has(m));
      if (done || Date.now() > deadline) return rows;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

export interface Correctness {
  readonly acked: number;
  readonly executions: number;
  readonly lost: string[];
  readonly duplicated: string[];
  readonly stuck: string[];
  readonly notSuccess: string[];
  readonly streamsWithGaps: string[];
}

/** Every acknowledged trigger produced exactly one execution, which ended; no stream has a gap. */
export async function checkCorrectness(client: GatewayClient, acked: ReadonlySet<string>, rows: readonly ExecutionRow[]): Promise<Correctness> {
  const byMarker = new Map<string, ExecutionRow[]>();
  for (const row of rows) byMarker.set(row.marker, [...(byMarker.get(row.marker) ?? []), row]);
  const lost = [...acked].filter((m) => !byMarker.has(m));
  const duplicated = [...byMarker].filter(([, list]) => list.length > 1).map(([m]) => m);
  const stuck = rows.filter((r) => !TERMINAL.has(r.state)).map((r) => `${r.id} ${r.state}`);
  const notSuccess = rows.filter((r) => TERMINAL.has(r.state) && r.state !== 'SUCCESS').map((r) => `${r.id} ${r.state}`);
  const streamsWithGaps: string[] = [];
  await inParallel(rows, 8, async (row) => {
    const { executionHistory } = await read<{ executionHistory: Array<{ revision: number }> }>(client, `query($id:ID!){ executionHistory(id:$id){ revision } }`, { id: row.id });
    const revisions = executionHistory.map((e) => e.revision);
    if (revisions.some((r, i) => r !== i) || revisions.length - 1 !== row.revision) streamsWithGaps.push(`${row.id}: ${revisions.length} events, read model at revision ${row.revision}`);
  });
  return { acked: acked.size, executions: rows.length, lost, duplicated, stuck, notSuccess, streamsWithGaps };
}

/** Rebuilds the executions projection from the log (ADMIN API) and compares it with the live read model. */
export async function rebuiltEqualsLive(client: GatewayClient): Promise<{ equal: boolean; difference?: string }> {
  const before = await allExecutions(client);
  await client.data(`mutation{ rebuildProjection(name:"executions"){ state } }`);
  const deadline = Date.now() + 180_000;
  for (;;) {
    const { projections } = await read<{ projections: Array<{ name: string; rebuild: { state: string; error: string | null } | null }> }>(client, `{ projections { name rebuild { state error } } }`);
    const rebuild = projections.find((p) => p.name === 'executions')?.rebuild;
    if (rebuild?.state === 'DONE') break;
    if (rebuild?.state === 'FAILED') return { equal: false, difference: `rebuild failed: ${rebuild.error}` };
    if (Date.now() > deadline) return { equal: false, difference: 'rebuild did not finish in 3 minutes' };
    await new Promise((r) => setTimeout(r, 500));
  }
  const after = await allExecutions(client);
  const key = (rows: readonly ExecutionRow[]) => JSON.stringify([...rows].sort((a, b) => a.id.localeCompare(b.id)));
  if (key(before) === key(after)) return { equal: true };
  const live = new Map(before.map((r) => [r.id, JSON.stringify(r)]));
  const first = after.find((r) => live.get(r.id) !== JSON.stringify(r));
  return { equal: false, difference: first ? `live ${live.get(first.id)} rebuilt ${JSON.stringify(first)}` : `live ${before.length} rows, rebuilt ${after.length}` };
}

async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

/**
 * The longest stretch without a completed execution in [from, to] (ms): completions are the
 * executions' own end times, so a stall shows whatever the client saw.
 */
export function longestStall(rows: readonly ExecutionRow[], from: number, to: number): number {
  const ends = rows.map((r) => (r.endDate ? Date.parse(r.endDate) : NaN)).filter((t) => t >= from && t <= to).sort((a, b) => a - b);
  let longest = 0;
  let previous = from;
  for (const end of [...ends, to]) {
    longest = Math.max(longest, end - previous);
    previous = end;
  }
  return longest;
}

/** ms from `from` to the first completion after it (processing resumed), or undefined. */
export function firstCompletionAfter(rows: readonly ExecutionRow[], from: number): number | undefined {
  const ends = rows.map((r) => (r.endDate ? Date.parse(r.endDate) : NaN)).filter((t) => t >= from);
  return ends.length ? Math.min(...ends) - from : undefined;
}
