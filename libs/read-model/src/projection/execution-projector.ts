import type { EventStore, RecordedEvent, Subscription } from '@chronicle/event-store';
import { topicNames, type BusMessage, type MessageBus } from '@chronicle/messaging';
import type { DataSource } from 'typeorm';
import { readCheckpoint } from '../queries/checkpoint.queries.js';
import { beginLiveBatchSql, type LiveCheckpointAdvance } from './checkpoint.writer.js';
import { retryWithBackoff, ProjectionStoppedError, type BackoffOptions } from './backoff.js';
import { prepareBatch, recordLiveWrites } from './batch-projection.js';
import { inlineParameters, PendingStatements } from './pending-statements.js';
import { quoteLiteral } from './quote-literal.js';
import { loadBatchExecutionsQuery, loadedExecutionsFrom, type LoadedExecutionRow } from './execution-rows.writer.js';
import { domainEvolve, executionIdsIn, type EvolveFn, type FoldedExecution, type PoisonEvent } from './execution-fold.js';
import { latestPerFlow, type FlowRevisionRow, type FlowStatusRow } from './flow-fold.js';
import { updateMessage } from '@chronicle/contracts';
import type { ExecutionUpdate, FlowUpdate, LogUpdate, ReadModelUpdate } from './live-updates.js';
import { logUpdate, type LogRow } from './log-projector.js';
import { diffExecutionView } from '../views/execution-view.delta.js';
import { toExecutionView } from '../views/execution-view.mapping.js';
import { CommittedPositions } from './committed-positions.js';
import { consoleProjectionLogger, errorDetails, type ProjectionLogger } from './projection-logger.js';
import { EXECUTION_STREAM_PREFIX, FLOW_STREAM_PREFIX } from './stream-names.js';

export const EXECUTION_PROJECTION = 'executions';

interface SimpleQueryResult {
  readonly rows: readonly unknown[];
}

/** The pg client under a TypeORM query runner: a simple-protocol query with several statements answers one result each (one alone: that result). */
interface SimpleQueryClient {
  query(text: string): Promise<SimpleQueryResult | readonly SimpleQueryResult[]>;
}

/** The answers of a simple-protocol message, one per statement. */
const answersOf = (result: SimpleQueryResult | readonly SimpleQueryResult[]): unknown[][] =>
  (Array.isArray(result) ? (result as readonly SimpleQueryResult[]) : [result as SimpleQueryResult]).map((r) => [...(r?.rows ?? [])]);

export interface ExecutionProjectorOptions {
  /** Checkpoint name (default `executions`). */
  readonly name?: string;
  /** Largest batch asked of the subscription (default 500). */
  readonly batchSize?: number;
  /** Topic of live updates (default `topicNames(topicPrefix).updates`). */
  readonly updatesTopic?: string;
  readonly topicPrefix?: string;
  readonly logger?: ProjectionLogger;
  /** Pauses between retries of a failed batch or subscription. */
  readonly backoff?: BackoffOptions;
  /** The fold; the domain's `evolve` unless a test needs another. */
  readonly evolve?: EvolveFn;
}

interface BatchOutcome {
  readonly position: bigint;
  /** Log lines stored with the rows (LOG_LINES_WITH_ROWS): announced with the batch's updates. */
  readonly logs: readonly LogRow[];
  readonly executions: readonly FoldedExecution[];
  readonly flows: readonly FlowRevisionRow[];
  readonly flowStatuses: readonly FlowStatusRow[];
  readonly poison: readonly PoisonEvent[];
}

/** What a batch's transaction came to: committed, or rolled back because commits before it were lost. */
type BatchResult =
  | { readonly committed: BatchOutcome }
  /** The stored checkpoint is behind what this projector committed: `stored` is where it is (undefined: none). */
  | { readonly lost: { readonly stored: bigint | undefined } };

/**
 * Projects `execution-*` and `flow-*` streams into the read model. One transaction per batch
 * holds the rows and the checkpoint, so a restart resumes exactly where the last commit ended;
 * live updates go out only after the commit.
 *
 * A batch commits without waiting for the WAL flush (see beginLiveBatchSql), so a Postgres crash
 * may lose the last batches' commits, rows and checkpoint together, while this projector keeps
 * running with its position past them. The next batch's checkpoint advance answers the position it
 * found; below this projector's own last commit, commits were lost: the batch rolls back, the
 * position goes back to the stored checkpoint and the subscription starts again from there, so the
 * lost events are projected again onto the rows as they are (the fold reads the stored rows each
 * batch; nothing else is kept in memory between batches). Their live updates were published once
 * already and are published again: a subscriber gets each execution's newest state again (a delta
 * whose base it no longer holds makes it load the view, see ExecutionViewChange).
 */
export class ExecutionProjector {
  private readonly name: string;
  /** The live updates of the last committed batch, on their way (see handle). */
  private publishing: Promise<void> = Promise.resolve();
  private readonly updatesTopic: string;
  private readonly logger: ProjectionLogger;
  private readonly evolve: EvolveFn;
  private readonly committed = new CommittedPositions();
  private subscription: Subscription | undefined;
  private abort = new AbortController();
  private running = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly eventStore: EventStore,
    private readonly bus: MessageBus,
    private readonly options: ExecutionProjectorOptions = {},
  ) {
    this.name = options.name ?? EXECUTION_PROJECTION;
    this.updatesTopic = options.updatesTopic ?? topicNames(options.topicPrefix).updates;
    this.logger = options.logger ?? consoleProjectionLogger;
    this.evolve = options.evolve ?? domainEvolve;
  }

  /** Resumes from the stored checkpoint; resolves once subscribed (not once caught up). */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.abort = new AbortController();
    try {
      await this.bus.ensureTopics([this.updatesTopic]);
      this.committed.advance(await readCheckpoint(this.dataSource.manager, this.name));
    } catch (error) {
      this.running = false;
      throw error;
    }
    this.subscribe();
  }

  /** Stops after the batch in progress; nothing uncommitted is acknowledged. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.abort.abort();
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.close();
    await this.publishing;
  }

  /** Position of the last committed batch; undefined before the first one. */
  position(): bigint | undefined {
    return this.committed.current();
  }

  /** Calls `listener` after every commit with the committed position; returns an unsubscribe. */
  onCommitted(listener: (position: bigint) => void): () => void {
    return this.committed.listen(listener);
  }

  /** Resolves once a batch at or past `position` is committed (read-your-writes). */
  waitForPosition(position: bigint, timeoutMs?: number): Promise<void> {
    return this.committed.waitFor(position, timeoutMs);
  }

  private subscribe(): void {
    if (!this.running) return;
    const subscription: Subscription = this.eventStore.subscribeToAll(
      {
        after: this.committed.current(),
        filter: { streamPrefixes: [EXECUTION_STREAM_PREFIX, FLOW_STREAM_PREFIX] },
        batchSize: this.options.batchSize ?? 500,
      },
      // A subscription replaced (see restartAfterLostCommits) delivers nothing more.
      (events) => (subscription === this.subscription ? this.handle(events) : Promise.resolve()),
      { onError: (error) => (subscription === this.subscription ? this.resubscribe(error) : undefined) },
    );
    this.subscription = subscription;
  }

  /**
   * Commits past the stored checkpoint were lost (see the class comment): back to it, and a new
   * subscription from there. Called inside the old subscription's handler, which must not wait for
   * its own close; it is closed at once and delivers nothing more.
   */
  private restartAfterLostCommits(stored: bigint | undefined): void {
    this.rewindTo(stored);
    const old = this.subscription;
    this.subscription = undefined;
    void old?.close().catch(() => undefined);
    this.subscribe();
  }

  /** True when the stored checkpoint is behind the last commit this projector made: commits were lost. */
  private commitsLost(stored: bigint | undefined): boolean {
    const committed = this.committed.current();
    return committed !== undefined && (stored === undefined || stored < committed);
  }

  /** Back to the stored checkpoint, saying why; what comes after it is projected again. */
  private rewindTo(stored: bigint | undefined): void {
    this.logger.warn(
      { projection: this.name, committed: this.committed.current()?.toString(), stored: stored?.toString() ?? 'none' },
      'the checkpoint is behind the last committed batch (commits lost in a Postgres crash); projecting again from the checkpoint',
    );
    this.committed.rewind(stored);
  }

  /** The subscription died (store unreachable...): start again from the last commit. */
  private resubscribe(error: Error): void {
    if (!this.running) return;
    this.logger.error({ projection: this.name, ...errorDetails(error) }, 'subscription failed; resubscribing from the checkpoint');
    const subscription = this.subscription;
    this.subscription = undefined;
    void subscription?.close().catch(() => undefined);
    const timer = setTimeout(() => void this.resubscribeFromStored(), this.options.backoff?.initialDelayMs ?? 1_000);
    this.abort.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  }

  /**
   * A Postgres crash breaks the subscription too: the stored checkpoint is read before subscribing
   * again, so batches whose unflushed commits the crash lost are projected again now, not only when
   * the next batch finds the checkpoint behind (which needs a new append). When the read fails, the
   * store is still away: the subscription fails again and comes back here.
   */
  private async resubscribeFromStored(): Promise<void> {
    if (!this.running || this.subscription) return;
    try {
      const stored = await readCheckpoint(this.dataSource.manager, this.name);
      if (this.commitsLost(stored)) this.rewindTo(stored);
    } catch {
      // Read on the next resubscription.
    }
    if (this.running && !this.subscription) this.subscribe();
  }

  private async handle(events: readonly RecordedEvent[]): Promise<void> {
    if (!this.running || events.length === 0) return;
    let result: BatchResult;
    try {
      result = await retryWithBackoff(
        () => this.project(events),
        this.abort.signal,
        (error, attempt, delayMs) =>
          this.logger.warn({ projection: this.name, attempt, delayMs, ...errorDetails(error) }, 'projection batch failed; retrying'),
        this.options.backoff,
      );
    } catch (error) {
      if (error instanceof ProjectionStoppedError) return;
      throw error;
    }
    if ('lost' in result) {
      this.restartAfterLostCommits(result.lost.stored);
      return;
    }
    const outcome = result.committed;
    for (const { event, error } of outcome.poison) {
      const details = { projection: this.name, position: event.position.toString(), streamId: event.streamId, type: event.type, error };
      this.logger.error(details, 'event skipped: it cannot be projected (see projection_errors)');
    }
    this.committed.advance(outcome.position);
    // This batch's updates go out while the next batch is projected: one publish at a time, in
    // commit order (so per-execution order holds), and never more than one batch behind.
    const previous = this.publishing;
    this.publishing = previous.then(() => this.publish(outcome));
    await previous;
  }

  /**
   * One transaction per batch, in two round trips: BEGIN with the checkpoint's advance and the load
   * (one message), then the writes with COMMIT (one message; parameters as literals: see
   * PendingStatements). The load must come after the checkpoint's row lock (replicas) and before
   * the writes (they are folded from it): in one simple-protocol message the statements run in
   * order, so the load still follows the lock; its rows are used only when the advance moved and
   * no commits were lost (else the batch ends as before, the rows unread). At low rates every
   * execution is its own batch, and each round trip is a large part of its cost (a socket write and
   * a wake-up of the backend, both ways). An error in any statement of the last message skips the
   * rest, COMMIT included, and the ROLLBACK below ends the transaction: the batch is all or nothing.
   */
  private async project(events: readonly RecordedEvent[]): Promise<BatchResult> {
    const last = events.reduce((max, event) => (event.position > max ? event.position : max), events[0].position);
    const runner = this.dataSource.createQueryRunner();
    try {
      // Inside the try: a connection that cannot be had still releases the runner.
      const client = (await runner.connect()) as SimpleQueryClient;
      const ids = executionIdsIn(events);
      const load = ids.length === 0 ? undefined : loadBatchExecutionsQuery(ids);
      const begin = beginLiveBatchSql(this.name, last, quoteLiteral) + (load ? `;\n${inlineParameters(load.sql, load.params, quoteLiteral)}` : '');
      this.dataSource.logger.logQuery(begin, [], runner);
      const opened = answersOf(await client.query(begin));
      const advance = opened[1]?.[0] as LiveCheckpointAdvance | undefined;
      if (advance === undefined) {
        // Another replica projected these events: on from where it got.
        const position = (await readCheckpoint(runner.manager, this.name)) ?? last;
        await runner.query('COMMIT');
        return { committed: { position, executions: [], flows: [], flowStatuses: [], poison: [], logs: [] } };
      }
      const stored = advance.found === null ? undefined : BigInt(advance.found);
      if (this.commitsLost(stored)) {
        await runner.query('ROLLBACK');
        return { lost: { stored } };
      }
      const loaded = loadedExecutionsFrom((opened[2] ?? []) as LoadedExecutionRow[]);
      const prepared = await prepareBatch(runner.manager, events, this.evolve, { loaded });
      const pending = new PendingStatements();
      const { logs } = await recordLiveWrites(pending, this.name, prepared);
      const writeAndCommit = pending.message(quoteLiteral, 'COMMIT');
      if (writeAndCommit === undefined) {
        // A parameter without a literal form (none of today's writers has one): each statement on its own.
        const answers = await pending.run(runner.manager);
        await runner.query('COMMIT');
        return { committed: { ...prepared, logs: logs(answers) } };
      }
      this.dataSource.logger.logQuery(writeAndCommit, [], runner);
      const answers = answersOf(await client.query(writeAndCommit));
      return { committed: { ...prepared, logs: logs(answers) } };
    } catch (error) {
      await runner.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  /** Live updates are notifications: a failed publish is logged, the commit stands. */
  private async publish(outcome: BatchOutcome): Promise<void> {
    const messages: BusMessage[] = [
      ...outcome.executions.flatMap((execution): BusMessage<ExecutionUpdate>[] => {
        const states = [...execution.intermediateStates, { doc: execution.doc, revision: execution.revision, position: execution.position, events: execution.events.slice(execution.intermediateStates.reduce((n, s) => n + s.events.length, 0)) }];
        // Each state travels as a delta of the view from the one before (the stored one for the first).
        let before = execution.previous ? toExecutionView(execution.previous) : undefined;
        return states.map((state) => {
          const view = toExecutionView(state.doc);
          const change = diffExecutionView(before, view);
          before = view;
          return {
            key: execution.id,
            value: {
              kind: 'execution',
              executionId: execution.id,
              namespace: view.namespace,
              flowId: view.flowId,
              revision: state.revision,
              position: state.position.toString(),
              state: view.state,
              mode: view.options?.mode ?? 'PRODUCTIVE',
              change,
              events: state.events,
            },
          };
        });
      }),
      ...latestPerFlow(outcome.flows).map((flow): BusMessage<FlowUpdate> => ({
        key: `${flow.namespace}.${flow.flowId}`,
        value: { kind: 'flow', namespace: flow.namespace, flowId: flow.flowId, revision: flow.revision },
      })),
      // Life-cycle changes without a new revision (revision 0 = "see the flow").
      ...outcome.flowStatuses
        .filter((s) => !outcome.flows.some((f) => f.namespace === s.namespace && f.flowId === s.flowId))
        .map((s): BusMessage<FlowUpdate> => ({ key: `${s.namespace}.${s.flowId}`, value: { kind: 'flow', namespace: s.namespace, flowId: s.flowId, revision: 0 } })),
      // The lines stored with the rows, in the same publish (one request) as the states they came with.
      ...outcome.logs.map((row): BusMessage<LogUpdate> => ({ key: row.execution_id, value: logUpdate(row) })),
    ];
    if (messages.length === 0) return;
    try {
      await this.bus.publish(this.updatesTopic, messages.map((m) => ({ ...m, value: updateMessage(m.value as ReadModelUpdate) })));
    } catch (error) {
      this.logger.warn({ projection: this.name, count: messages.length, ...errorDetails(error) }, 'live updates not published');
    }
  }
}
