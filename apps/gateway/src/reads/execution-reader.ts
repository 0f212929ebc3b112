import { Inject, Injectable } from '@nestjs/common';
import { executionStreamId } from '@chronicle/domain';
import { toExecutionView, type ExecutionView, type ReadModelQueries } from '@chronicle/read-model';
import { BadUserInputError } from '../errors/api-errors.js';
import { EVENT_STORE, EXECUTIONS, LIVE_UPDATES, READ_MODEL } from '../gateway.tokens.js';
import type { LiveUpdates } from '../live/live-updates.js';
import type { EventStore } from '@chronicle/event-store';
import type { ExecutionRepository } from '@chronicle/use-cases';

/** How long a read with a `minRevision` the log does not hold yet waits for it. */
export const MIN_REVISION_WAIT_MS = 5_000;

/**
 * Read-your-writes for one execution by id. The read model lags the log: a client that was just
 * given an execution (or a revision of it) must never read 404 or an older state. The read model
 * answers when its row is as new as the log's last event (and at `minRevision` or later);
 * otherwise the state is folded from the event store (the source of truth). Both answer the same
 * read-side ExecutionView (`toExecutionView` of the fold is what the projection writes). Lists are
 * not covered: they come from the read model only.
 */
@Injectable()
export class ExecutionReader {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(EXECUTIONS) private readonly executions: ExecutionRepository,
    @Inject(READ_MODEL) private readonly readModel: ReadModelQueries,
    @Inject(LIVE_UPDATES) private readonly live: LiveUpdates,
  ) {}

  /**
   * The execution at `minRevision` or later; undefined when it does not exist. A `minRevision`
   * past the log's end is waited for briefly, then refused naming the parameter.
   */
  async get(id: string, minRevision?: number): Promise<ExecutionView | undefined> {
    if (minRevision !== undefined && (!Number.isInteger(minRevision) || minRevision < 0)) throw new BadUserInputError('minRevision must be an integer, 0 or more', { parameter: 'minRevision' });
    const found = await this.current(id, minRevision ?? 0);
    if (!found || minRevision === undefined || found.revision >= minRevision) return found;
    const later = await this.waitFor(id, minRevision);
    if (later.revision >= minRevision) return later;
    throw new BadUserInputError(`execution ${id} is at revision ${later.revision}: minRevision ${minRevision} was not written`, { parameter: 'minRevision', revision: later.revision });
  }

  /**
   * The read model's row when it is as new as the log (and at `minRevision` or later), else the
   * log's fold: reads are monotonic, so an answer is never older than one given before. One read
   * of the stream's last event tells; the fold happens only while the read model lags.
   */
  private async current(id: string, minRevision: number): Promise<ExecutionView | undefined> {
    const [row, [last]] = await Promise.all([
      this.readModel.getExecution(id),
      this.store.readStream(executionStreamId(id), { direction: 'backwards', maxCount: 1 }),
    ]);
    if (!last) return undefined;
    if (row && row.revision >= Math.max(Number(last.revision), minRevision)) return row;
    const folded = await this.executions.load(id);
    return folded ? toExecutionView(folded) : row;
  }

  /**
   * The read model's row once it holds the log's last event of the execution: what the projection
   * stores in the same transaction as the row (the log lines of a start that ended in its own
   * append) is then readable with it, so a client that saw the end reads its lines. Waits for the
   * projection at most MIN_REVISION_WAIT_MS, then answers the row as it is; undefined when neither
   * the log nor the read model has the execution.
   */
  async projected(id: string): Promise<ExecutionView | undefined> {
    const deadline = Date.now() + MIN_REVISION_WAIT_MS;
    for (;;) {
      let wake: () => void = () => undefined;
      const woken = new Promise<void>((resolve) => (wake = resolve));
      // Listening before looking: an update between the look and the wait wakes it.
      const stop = this.live.onExecution(id, () => wake());
      try {
        const [row, [last]] = await Promise.all([
          this.readModel.getExecution(id),
          this.store.readStream(executionStreamId(id), { direction: 'backwards', maxCount: 1 }),
        ]);
        const left = deadline - Date.now();
        if (!last || (row && row.revision >= Number(last.revision)) || left <= 0) return row;
        // Live updates wake it; the look is repeated now and then in case one was lost.
        const timer = setTimeout(() => wake(), Math.min(left, 250));
        await woken;
        clearTimeout(timer);
      } finally {
        stop();
      }
    }
  }

  /** Listens before looking again, so an event written in between is not missed. */
  private async waitFor(id: string, minRevision: number): Promise<ExecutionView> {
    let wake: () => void = () => undefined;
    const woken = new Promise<void>((resolve) => (wake = resolve));
    const stop = this.live.onExecution(id, (update) => {
      if (update.kind === 'execution' && update.revision >= minRevision) wake();
    });
    const timer = setTimeout(() => wake(), MIN_REVISION_WAIT_MS);
    try {
      const now = await this.current(id, minRevision);
      if (now && now.revision >= minRevision) return now;
      await woken;
      return (await this.current(id, minRevision))!;
    } finally {
      clearTimeout(timer);
      stop();
    }
  }
}

/** The view of an execution at exactly `revision`, folded from the log (live updates whose delta lacks its base). */
export function executionViewAt(executions: Pick<ExecutionRepository, 'load'>): (id: string, revision: number) => Promise<ExecutionView | undefined> {
  return async (id, revision) => {
    const folded = await executions.load(id, revision);
    return folded && folded.revision === revision ? toExecutionView(folded) : undefined;
  };
}

/** `minRevision` from a query string: absent, or an integer 0 or more (400 naming it otherwise). */
export function parseMinRevision(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value)) throw new BadUserInputError(`query parameter minRevision must be an integer, 0 or more (got "${raw}")`, { parameter: 'minRevision' });
  return value;
}
