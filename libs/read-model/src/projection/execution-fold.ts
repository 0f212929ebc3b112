import { evolve, upcastExecutionEvent, withoutSavepointSnapshots, type Execution, type TaskRun } from '@chronicle/domain';
import type { RecordedEvent } from '@chronicle/event-store';
import type { LiveEvent } from '@chronicle/contracts';
import { executionIdOf } from './stream-names.js';

/** Folds one stored event into the state; throws on an event it cannot fold. */
export type EvolveFn = (
  state: Execution | undefined,
  event: { readonly type: string; readonly data: unknown; readonly schemaVersion?: number },
) => Execution | undefined;

/** The domain's fold, after upcasting the event to the current schema. */
export const domainEvolve: EvolveFn = (state, event) => evolve(state, upcastExecutionEvent(event.type, event.data, event.schemaVersion));

/** What the read model holds for one execution before a batch. */
export interface StoredExecution {
  readonly doc: Execution;
  /** Stream revision of the last event already folded. */
  readonly revision: number;
}

export interface ChangedTaskRun {
  readonly taskRun: TaskRun;
  /** Index in the execution's task runs. */
  readonly seq: number;
}

export interface FoldedExecution {
  readonly id: string;
  /** The state the read model held before this batch (undefined for a new execution). */
  readonly previous?: Execution;
  readonly doc: Execution;
  readonly revision: number;
  /** Position of the last event folded for this execution. */
  readonly position: bigint;
  /** Position of the first new event: orders newly created rows as the log does. */
  readonly firstPosition: bigint;
  readonly events: readonly LiveEvent[];
  /**
   * The execution as it was right after each execution-level state change inside this
   * batch, except the last (that is `doc`): live subscribers see every state, even when
   * CREATED and RUNNING were projected in one batch.
   */
  readonly intermediateStates: readonly { readonly doc: Execution; readonly revision: number; readonly position: bigint; readonly events: readonly LiveEvent[] }[];
  readonly changedTaskRuns: readonly ChangedTaskRun[];
  readonly removedTaskRunIds: readonly string[];
}

/** An event `evolve` threw on: recorded and skipped. */
export interface PoisonEvent {
  readonly event: RecordedEvent;
  readonly error: string;
}

export function executionIdsIn(events: readonly RecordedEvent[]): string[] {
  const ids = new Set<string>();
  for (const event of events) {
    const id = executionIdOf(event.streamId);
    if (id !== undefined) ids.add(id);
  }
  return [...ids];
}

export interface FoldOptions {
  /**
   * Keep what live updates need: each event as subscribers see it (upcast again) and the state
   * after every execution-level change (default true). A rebuild publishes nothing: it folds
   * without them, which is most of the fold's own cost besides `evolve`.
   */
  readonly liveUpdates?: boolean;
}

/**
 * Folds a batch into the stored executions. Events at or below the stored revision are
 * replays and are skipped; an event `evolve` throws on is reported and skipped.
 */
export function foldExecutions(
  events: readonly RecordedEvent[],
  stored: ReadonlyMap<string, StoredExecution>,
  evolve: EvolveFn,
  options: FoldOptions = {},
): { executions: FoldedExecution[]; poison: PoisonEvent[] } {
  const live = options.liveUpdates ?? true;
  const poison: PoisonEvent[] = [];
  type Snapshot = FoldedExecution['intermediateStates'][number];
  const working = new Map<string, { state: Execution | undefined; revision: number; position: bigint; first?: bigint; events: LiveEvent[]; snapshots: Snapshot[]; sinceSnapshot: number }>();
  for (const event of events) {
    const id = executionIdOf(event.streamId);
    if (id === undefined) continue;
    let entry = working.get(id);
    if (!entry) {
      const before = stored.get(id);
      entry = { state: before?.doc, revision: before?.revision ?? -1, position: 0n, events: [], snapshots: [], sinceSnapshot: 0 };
      working.set(id, entry);
    }
    const revision = Number(event.revision);
    if (revision <= entry.revision) continue;
    entry.revision = revision;
    entry.position = event.position;
    entry.first ??= event.position;
    if (live) entry.events.push(liveEvent(event));
    try {
      const schemaVersion = typeof event.metadata?.schemaVersion === 'number' ? event.metadata.schemaVersion : undefined;
      const previousState = entry.state?.state;
      entry.state = evolve(entry.state, { type: event.type, data: event.data, schemaVersion });
      if (live && entry.state && entry.state.state !== previousState) {
        entry.snapshots.push({ doc: withoutSavepointSnapshots({ ...entry.state, revision }), revision, position: event.position, events: entry.events.slice(entry.sinceSnapshot) });
        entry.sinceSnapshot = entry.events.length;
      }
    } catch (error) {
      poison.push({ event, error: error instanceof Error ? error.message : String(error) });
    }
  }

  const executions: FoldedExecution[] = [];
  for (const [id, entry] of working) {
    if (entry.state === undefined || entry.first === undefined) continue;
    // What rows and live updates carry: savepoints listed, their snapshots left with the executor.
    const doc: Execution = withoutSavepointSnapshots(entry.state.revision === entry.revision ? entry.state : { ...entry.state, revision: entry.revision });
    // The last snapshot, if it is the final state, is `doc` itself.
    const last = entry.snapshots.at(-1);
    const intermediateStates = last && last.revision === entry.revision ? entry.snapshots.slice(0, -1) : entry.snapshots;
    executions.push({
      id, previous: stored.get(id)?.doc, doc, revision: entry.revision, position: entry.position, firstPosition: entry.first, events: entry.events, intermediateStates,
      ...diffTaskRuns(stored.get(id)?.doc, doc),
    });
  }
  executions.sort((a, b) => (a.firstPosition < b.firstPosition ? -1 : a.firstPosition > b.firstPosition ? 1 : 0));
  return { executions, poison };
}

function liveEvent(event: RecordedEvent): LiveEvent {
  const occurredAt = typeof event.metadata?.occurredAt === 'string' ? event.metadata.occurredAt : event.recordedAt;
  // Live subscribers see the current schema, like the history API.
  const schemaVersion = typeof event.metadata?.schemaVersion === 'number' ? event.metadata.schemaVersion : undefined;
  let data = event.data;
  try {
    data = upcastExecutionEvent(event.type, event.data, schemaVersion).data;
  } catch {
    // A newer schema than this code knows: `evolve` reports it as poison; show the event as stored.
  }
  return { position: event.position.toString(), revision: Number(event.revision), type: event.type, data, occurredAt };
}

/** `evolve` copies on write, so unchanged task runs keep their identity; JSON settles the rest. */
function diffTaskRuns(before: Execution | undefined, after: Execution): Pick<FoldedExecution, 'changedTaskRuns' | 'removedTaskRunIds'> {
  const previous = new Map<string, { taskRun: TaskRun; seq: number }>();
  before?.taskRuns.forEach((taskRun, seq) => previous.set(taskRun.id, { taskRun, seq }));
  const changedTaskRuns: ChangedTaskRun[] = [];
  after.taskRuns.forEach((taskRun, seq) => {
    const old = previous.get(taskRun.id);
    previous.delete(taskRun.id);
    if (old && old.seq === seq && (old.taskRun === taskRun || JSON.stringify(old.taskRun) === JSON.stringify(taskRun))) return;
    changedTaskRuns.push({ taskRun, seq });
  });
  return { changedTaskRuns, removedTaskRunIds: [...previous.keys()] };
}
