import type { RecordedEvent } from '@chronicle/event-store';
import { eventLogLines, logLinesWithRows, toDomainEvent, type LogLine } from '@chronicle/contracts';
import { insertLinesWithRows, type LogRow } from './log-projector.js';
import type { EntityManager } from 'typeorm';
import { auditRows, writeAuditRows } from './audit-rows.writer.js';
import { CombinedWrites } from './combined-writes.js';
import { PendingStatements } from './pending-statements.js';
import { advanceCheckpoint, recordPoisonEvents } from './checkpoint.writer.js';
import { executionIdsIn, foldExecutions, type EvolveFn, type FoldedExecution, type FoldOptions, type PoisonEvent, type StoredExecution } from './execution-fold.js';
import { loadBatchExecutions, type LoadedExecutions, upsertExecutions, writeTaskRuns } from './execution-rows.writer.js';
import { executionIdOf } from './stream-names.js';
import { deleteEmptyExecutionStats, statsDeltas, upsertExecutionStats } from './execution-stats.writer.js';
import { foldFlows, type FlowRevisionRow, type FlowStatusRow } from './flow-fold.js';
import { writeFlowRevisions, writeFlowStatuses } from './flow-rows.writer.js';

export interface ProjectedBatch {
  /** Position of the last event of the batch: the new checkpoint. */
  readonly position: bigint;
  readonly executions: readonly FoldedExecution[];
  readonly flows: readonly FlowRevisionRow[];
  readonly flowStatuses: readonly FlowStatusRow[];
  readonly poison: readonly PoisonEvent[];
}

/** A batch folded and ready to write: what `writeBatch` needs, nothing read from the database any more. */
export interface PreparedBatch extends ProjectedBatch {
  /** The events read, purged executions' included. */
  readonly eventCount: number;
  /** The events projected: without those of purged executions. */
  readonly events: readonly RecordedEvent[];
  /** The rows the batch started from (the stats move executions out of their old place). */
  readonly stored: ReadonlyMap<string, StoredExecution>;
}

/** A batch the live projection committed, with the log lines it stored (LOG_LINES_WITH_ROWS), to announce. */
export interface LiveProjectedBatch extends ProjectedBatch {
  readonly logs: readonly LogRow[];
}

/**
 * The live projection's writes of a prepared batch, recorded on `pending` for the caller to send
 * (with COMMIT, as one message: see PendingStatements), with the log lines stored with the rows
 * (LOG_LINES_WITH_ROWS). `logs` picks, from the answers of the statements sent, the stored lines.
 */
export async function recordLiveWrites(pending: PendingStatements, name: string, prepared: PreparedBatch): Promise<{ logs: (answers: readonly unknown[][]) => LogRow[] }> {
  // Live only: a rebuild's shadow replays into other tables, and the log lines are not among them.
  const answering = await recordRows(pending, name, prepared, linesWithRows(prepared.events));
  return { logs: (answers) => sortedLogRows(answering === undefined ? [] : ((answers[answering] ?? []) as LogRow[])) };
}

/** The log lines of the batch's events that the projection stores itself (their writer marked them), in event order. */
export function linesWithRows(events: readonly RecordedEvent[]): LogLine[] {
  const lines: LogLine[] = [];
  for (const event of events) {
    if (!logLinesWithRows(event)) continue;
    const executionId = executionIdOf(event.streamId);
    if (executionId !== undefined) lines.push(...eventLogLines(executionId, toDomainEvent(event)));
  }
  return lines;
}

/**
 * Reads what the batch folds on and folds it. `carried`: rows a batch written meanwhile (not yet
 * committed) holds for some of these executions; they are used instead of the stored ones. Only
 * a single writer may prepare a batch outside its write transaction (a rebuild into its shadow).
 */
export async function prepareBatch(
  reader: EntityManager,
  events: readonly RecordedEvent[],
  evolve: EvolveFn,
  options: FoldOptions & {
    readonly carried?: ReadonlyMap<string, StoredExecution>;
    /**
     * The reader's rows hold exactly the events before this batch (a rebuild's shadow): an
     * execution whose stream starts in this batch has no row yet, and only its purge is checked.
     */
    readonly rowsEndBeforeBatch?: boolean;
    /**
     * The answer of `loadBatchExecutionsQuery(executionIdsIn(events))`, read by the caller in this
     * transaction after its checkpoint lock (the live projection sends it with BEGIN): not read again.
     * Made for this batch alone: the batch adds to it (purges found later, carried rows).
     */
    readonly loaded?: LoadedExecutions;
  } = {},
): Promise<PreparedBatch> {
  const ids = executionIdsIn(events);
  const carried = options.carried;
  const started = options.rowsEndBeforeBatch ? streamsStartedIn(events) : undefined;
  const toLoad = carried || started ? ids.filter((id) => !carried?.has(id) && !started?.has(id)) : ids;
  // Events of purged executions stay out (EventStoreDB keeps them in $all until a scavenge);
  // the purge check and the stored rows come in one query.
  const { stored, purged } = options.loaded && !carried && !started ? options.loaded : await loadBatchExecutions(reader, toLoad);
  if (started && started.size > 0) for (const id of await purgedAmong(reader, [...started])) purged.add(id);
  // Through JSON, as a row read back would be: the fold starts from exactly what is stored.
  if (carried) for (const id of ids) if (carried.has(id)) stored.set(id, structuredJson(carried.get(id)!));
  const kept = purged.size === 0 ? events : events.filter((event) => {
    const id = executionIdOf(event.streamId);
    return id === undefined || !purged.has(id);
  });
  const folded = foldExecutions(kept, stored, evolve, options);
  const flows = foldFlows(kept);
  return {
    eventCount: events.length,
    events: kept,
    stored,
    position: lastPosition(events),
    executions: folded.executions,
    flows: flows.revisions,
    flowStatuses: flows.statuses,
    poison: [...folded.poison, ...flows.poison],
  };
}

/** Writes a prepared batch and moves the checkpoint, in the caller's transaction; false when the checkpoint was past it already. */
export async function writeBatch(manager: EntityManager, name: string, prepared: PreparedBatch): Promise<boolean> {
  if (!(await advanceCheckpoint(manager, name, prepared.position))) return false;
  await writeRows(manager, name, prepared);
  return true;
}

/** What the executions of a written batch now hold: the `carried` rows of the next batch's preparation. */
export function rowsAfter(prepared: PreparedBatch): Map<string, StoredExecution> {
  return new Map(prepared.executions.map((e) => [e.id, { doc: e.doc, revision: e.revision }]));
}

/** Executions whose first event (revision 0) is in `events`. */
function streamsStartedIn(events: readonly RecordedEvent[]): Set<string> {
  const started = new Set<string>();
  for (const event of events) {
    if (event.revision !== 0n) continue;
    const id = executionIdOf(event.streamId);
    if (id !== undefined) started.add(id);
  }
  return started;
}

async function purgedAmong(reader: EntityManager, ids: readonly string[]): Promise<string[]> {
  const rows: { id: string }[] = await reader.query('SELECT id FROM purged_executions WHERE id = ANY($1::text[])', [ids]);
  return rows.map((row) => row.id);
}

const structuredJson = (row: StoredExecution): StoredExecution => ({ doc: JSON.parse(JSON.stringify(row.doc)), revision: row.revision });

/** Writes the batch's rows, and `lines` (stored with them: LOG_LINES_WITH_ROWS), whose stored rows it answers. */
async function writeRows(manager: EntityManager, name: string, prepared: PreparedBatch, lines: readonly LogLine[] = []): Promise<LogRow[]> {
  const pending = new PendingStatements();
  const answering = await recordRows(pending, name, prepared, lines);
  const answers = await pending.run(manager);
  return sortedLogRows(answering === undefined ? [] : ((answers[answering] ?? []) as LogRow[]));
}

/**
 * Records the batch's writes on `pending`, in the order they must run; answers the index of the
 * statement whose rows are the stored log lines (undefined without lines).
 */
async function recordRows(pending: PendingStatements, name: string, prepared: PreparedBatch, lines: readonly LogLine[]): Promise<number | undefined> {
  // Rows, task runs, audit lines, stats counters and log lines touch different tables and rows: one statement for them.
  const writes = new CombinedWrites();
  const deltas = statsDeltas(prepared.stored, prepared.executions);
  await upsertExecutions(writes.manager, prepared.executions);
  await writeTaskRuns(writes.manager, prepared.executions);
  await writeAuditRows(writes.manager, auditRows(prepared.events, prepared.executions));
  await upsertExecutionStats(writes.manager, deltas);
  await insertLinesWithRows(writes.returning, lines);
  const combined = pending.next;
  const answers = writes.answers;
  await writes.flush(pending.manager);
  await writeAfterRows(pending.manager, name, prepared, deltas);
  return answers ? combined : undefined;
}

const sortedLogRows = (rows: readonly LogRow[]): LogRow[] => [...rows].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));

/**
 * What follows a batch's execution rows, live and in a rebuild's shadow alike. Stats delete the
 * counters their own upsert brought to zero, and flow statuses update the rows a deploy of the same
 * batch wrote: each needs the statement before it done.
 */
export async function writeAfterRows(
  manager: EntityManager, name: string, prepared: Pick<PreparedBatch, 'flows' | 'flowStatuses' | 'poison'>, deltas: readonly ReturnType<typeof statsDeltas>[number][],
): Promise<void> {
  await deleteEmptyExecutionStats(manager, deltas);
  await writeFlowRevisions(manager, prepared.flows);
  await writeFlowStatuses(manager, prepared.flowStatuses);
  await recordPoisonEvents(manager, name, prepared.poison);
}

const lastPosition = (events: readonly RecordedEvent[]): bigint =>
  events.reduce((max, event) => (event.position > max ? event.position : max), events[0]!.position);
