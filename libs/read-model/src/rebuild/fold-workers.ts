import { availableParallelism } from 'node:os';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { RecordedEvent } from '@chronicle/event-store';
import type { DataSource } from 'typeorm';
import type { FoldedExecution, StoredExecution } from '../projection/execution-fold.js';
import { loadBatchExecutions } from '../projection/execution-rows.writer.js';
import { foldFlows } from '../projection/flow-fold.js';
import { auditRows } from '../projection/audit-rows.writer.js';
import { executionIdOf } from '../projection/stream-names.js';
import { copyLine } from './copy-text.js';
import type { FoldReply, FoldRequest, FoldWorkerData } from './fold-worker.protocol.js';
import { parsedEvent, type LogEvent } from './log-event.js';
import type { ShadowBatchFolder } from './shadow-batch.folder.js';
import { AUDIT_COLUMNS, utf8, type EncodedShadowRows, type ShadowBatch, type StatsDelta } from './shadow-rows.encoder.js';

/*
 * Parallel folds for a rebuild. Executions are independent, so a batch's execution events are
 * split by execution id among worker threads, each folding and encoding its share
 * (`shadow-fold.worker.ts`); this thread reads the log, loads the few rows the workers do not
 * hold, folds the flows and writes. The parts are merged into the batch the single-thread
 * fold would give: new executions in the log order of their first event (their `seq`), the
 * stats deltas summed. A worker that fails or ends fails the batch, and so the rebuild; the
 * shadow keeps its last committed batch and the live tables are never touched.
 */

export interface FoldWorkerOptions {
  /** Threads (default: the cores beyond the first, at least 1, at most 4). */
  readonly count?: number;
  readonly resourceLimits?: ResourceLimits;
  /** Tests only: see `FoldWorkerData`. */
  readonly workerData?: FoldWorkerData;
}

export const defaultFoldWorkers = (): number => Math.min(4, Math.max(1, availableParallelism() - 1));

/** A worker thread running `shadow-fold.worker`, from the build or (tests, tsx) from the sources. */
function startFoldWorker(options: FoldWorkerOptions): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(fromSource ? './shadow-fold.worker.ts' : './shadow-fold.worker.js', import.meta.url);
  const common = { workerData: options.workerData ?? {}, resourceLimits: options.resourceLimits };
  if (!fromSource) return new Worker(entry, common);
  // The sources are TypeScript: the thread registers tsx (which runs them here) before loading its entry.
  const tsx = import.meta.resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`, {
    ...common,
    eval: true,
    execArgv: [...process.execArgv.filter((arg) => !arg.startsWith('--conditions')), '--conditions=@chronicle/source'],
  });
}

/** One worker and the batch it is folding (one at a time). */
class FoldThread {
  private pending: { resolve: (reply: FoldReply) => void; reject: (error: Error) => void } | undefined;
  private failure: Error | undefined;

  constructor(private readonly worker: Worker) {
    worker.on('message', (reply: FoldReply) => {
      const pending = this.pending;
      this.pending = undefined;
      pending?.resolve(reply);
    });
    worker.on('error', (error) => this.fail(new Error(`a rebuild fold worker failed: ${error.message}`)));
    worker.on('exit', (code) => this.fail(new Error(`a rebuild fold worker exited (code ${code})`)));
  }

  request(request: FoldRequest): Promise<FoldReply> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage(request);
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    const pending = this.pending;
    this.pending = undefined;
    pending?.reject(this.failure);
  }

  async close(): Promise<void> {
    this.failure ??= new Error('the rebuild fold workers are closed');
    await this.worker.terminate();
  }
}

/** Folds and encodes batches in worker threads (see above). */
export class WorkerFolder implements ShadowBatchFolder {
  /** The workers parse the events: this thread only reads them. */
  readonly readsRaw = true;
  private readonly threads: FoldThread[];
  /** The executions the workers folded in the batch before: they hold them. */
  private carried = new Set<string>();
  private forgetNext = false;
  private nextId = 0;

  constructor(private readonly shadow: DataSource, options: FoldWorkerOptions = {}) {
    const count = options.count ?? defaultFoldWorkers();
    this.threads = Array.from({ length: count }, () => new FoldThread(startFoldWorker(options)));
  }

  async fold(events: readonly LogEvent[]): Promise<ShadowBatch> {
    const ids = new Set<string>();
    const started = new Set<string>();
    for (const event of events) {
      const id = executionIdOf(event.streamId);
      if (id === undefined) continue;
      ids.add(id);
      if (event.revision === 0n) started.add(id);
    }
    // As `prepareBatch` with `rowsEndBeforeBatch`: rows are loaded for executions neither started
    // here nor held by a worker, and purges checked for those and the started ones.
    const toLoad = [...ids].filter((id) => !this.carried.has(id) && !started.has(id));
    const { stored, purged } = await loadBatchExecutions(this.shadow.manager, toLoad);
    if (started.size > 0) {
      const rows: { id: string }[] = await this.shadow.query('SELECT id FROM purged_executions WHERE id = ANY($1::text[])', [[...started]]);
      for (const row of rows) purged.add(row.id);
    }
    const kept = purged.size === 0 ? events : events.filter((event) => {
      const id = executionIdOf(event.streamId);
      return id === undefined || !purged.has(id);
    });
    const shares = this.threads.map(() => ({ events: [] as LogEvent[], stored: [] as [string, StoredExecution][] }));
    // The flows' events (a handful) are folded here.
    const others: RecordedEvent[] = [];
    for (const event of kept) {
      const id = executionIdOf(event.streamId);
      if (id === undefined) others.push(parsedEvent(event));
      else shares[threadOf(id, shares.length)]!.events.push(event);
    }
    for (const [id, row] of stored) shares[threadOf(id, shares.length)]!.stored.push([id, row]);
    const now = new Date().toISOString();
    const forget = this.forgetNext;
    this.forgetNext = false;
    const replies = await Promise.all(this.threads.map((thread, i) =>
      thread.request({ id: this.nextId++, events: shares[i]!.events, stored: shares[i]!.stored, forget, now })));
    const parts: EncodedShadowRows[] = [];
    this.carried = new Set();
    for (const reply of replies) {
      if ('error' in reply) throw new Error(`a rebuild fold worker could not fold a batch: ${reply.error}`);
      parts.push(reply.rows);
      for (const id of reply.folded) this.carried.add(id);
    }
    const flows = foldFlows(others);
    let flowAuditText = '';
    for (const row of auditRows(others, [])) flowAuditText += copyLine(AUDIT_COLUMNS, row as unknown as Record<string, unknown>);
    const flowAudit = utf8(flowAuditText);
    return {
      position: events.reduce((max, event) => (event.position > max ? event.position : max), events[0]!.position),
      eventCount: events.length,
      rows: () => mergeParts(parts, flowAudit),
      flows: flows.revisions,
      flowStatuses: flows.statuses,
      poison: flows.poison,
    };
  }

  forget(): void {
    this.carried = new Set();
    this.forgetNext = true;
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((thread) => thread.close()));
  }
}

/** A stable share for an execution (FNV-1a of its id). */
export function threadOf(id: string, threads: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % threads;
}

/** The parts of one batch as one: what the single-thread fold of the whole batch encodes. */
export function mergeParts(parts: readonly EncodedShadowRows[], extraAudit: Uint8Array = new Uint8Array(0)): EncodedShadowRows {
  // Each part's lines are in order already: views on them, sorted, are copied once into the whole.
  const executions: { first: bigint; line: Uint8Array }[] = [];
  for (const part of parts) {
    let start = 0;
    part.executionEnds.forEach((end, i) => {
      executions.push({ first: part.executionFirsts[i]!, line: part.executionLines.subarray(start, end) });
      start = end;
    });
  }
  executions.sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  const upserted: FoldedExecution[] = parts.flatMap((part) => part.upserted);
  upserted.sort((a, b) => (a.firstPosition < b.firstPosition ? -1 : a.firstPosition > b.firstPosition ? 1 : 0));
  const ends: number[] = [];
  let length = 0;
  for (const { line } of executions) ends.push((length += line.length));
  return {
    executionLines: concat(executions.map((e) => e.line)),
    executionEnds: ends,
    executionFirsts: executions.map((e) => e.first),
    taskRunLines: concat(parts.map((part) => part.taskRunLines)),
    auditLines: concat([...parts.map((part) => part.auditLines), extraAudit]),
    upserted,
    deltas: sumDeltas(parts.flatMap((part) => part.deltas)),
    poison: parts.flatMap((part) => part.poison),
  };
}

/** One part alone is passed on as it is. */
const concat = (chunks: readonly Uint8Array[]): Uint8Array => (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));

const deltaKey = (d: StatsDelta) => `${d.bucket}|${d.namespace}|${d.flow_id}|${d.state}|${d.duration_bin}`;

/** Deltas of the same counter summed, the zeros left out, sorted as `statsDeltas` sorts them (one lock order). */
function sumDeltas(deltas: readonly StatsDelta[]): StatsDelta[] {
  const sums = new Map<string, StatsDelta>();
  for (const d of deltas) {
    const key = deltaKey(d);
    const current = sums.get(key);
    sums.set(key, current ? { ...current, delta: current.delta + d.delta } : { ...d });
  }
  return [...sums.values()].filter((d) => d.delta !== 0).sort((a, b) => deltaKey(a).localeCompare(deltaKey(b)));
}
