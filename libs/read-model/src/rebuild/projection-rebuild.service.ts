import pg from 'pg';
import type { EventStore } from '@chronicle/event-store';
import type { DataSource, QueryRunner } from 'typeorm';
import type { EvolveFn } from '../projection/execution-fold.js';
import { EXECUTION_PROJECTION, type ExecutionProjector } from '../projection/execution-projector.js';
import { consoleProjectionLogger, errorDetails, type ProjectionLogger } from '../projection/projection-logger.js';
import { runRebuild, type RebuildOutcome, type RebuildRunOptions } from './projection-rebuild.js';
import { ACTIVE_REBUILD_STATES, REBUILD_REQUESTS_CHANNEL, getRebuild } from './rebuild-state.js';

/** A LISTEN on a Postgres channel: `onNotice` is called for each notice, and once after every (re)connection (notices sent while no one listened are lost). */
export type NoticeListener = (channel: string, onNotice: () => void) => { ready(): Promise<void>; close(): Promise<void> };

export interface ProjectionRebuildServiceOptions {
  /**
   * How the started service hears of rebuild requests (`REBUILD_REQUESTS_CHANNEL`); `start()`
   * needs it. The composition passes the event store's Postgres listener (one connection).
   */
  readonly listen?: NoticeListener;
  readonly batchSize?: number;
  readonly progressIntervalMs?: number;
  readonly evolve?: EvolveFn;
  /** See `RebuildRunOptions.foldWorkers`. */
  readonly foldWorkers?: RebuildRunOptions['foldWorkers'];
  readonly logger?: ProjectionLogger;
}

/**
 * Runs projection rebuilds inside the projection service, which owns the live projector and so
 * can pause it across the swap. The API writes requests to `projection_rebuilds` (from any
 * gateway) and announces them on `REBUILD_REQUESTS_CHANNEL`: the started service runs one when
 * told, and once when it starts listening (a rebuild left unfinished by a crash resumes then).
 * A session advisory lock lets one replica run a rebuild; a replica that finds it taken waits
 * for it inside Postgres and looks again when it is freed: the holder finished, or died, and
 * its rebuild resumes here from the shadow checkpoint. No polling anywhere.
 */
export class ProjectionRebuildService {
  private listener: ReturnType<NoticeListener> | undefined;
  private abort = new AbortController();
  private current: Promise<RebuildOutcome | 'busy'> | undefined;
  /** A notice arrived while a run was under way: look once more when it ends. */
  private again = false;
  private waitingForHolder: Promise<void> | undefined;
  private readonly name = EXECUTION_PROJECTION;
  private readonly logger: ProjectionLogger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly projector: ExecutionProjector,
    private readonly options: ProjectionRebuildServiceOptions = {},
  ) {
    this.logger = options.logger ?? consoleProjectionLogger;
  }

  /** Listens for requests; resolves once listening (the first look for pending work follows at once). */
  async start(): Promise<void> {
    if (this.listener) return;
    if (!this.options.listen) throw new Error('ProjectionRebuildService.start() needs options.listen (how it hears of rebuild requests)');
    this.abort = new AbortController();
    this.listener = this.options.listen(REBUILD_REQUESTS_CHANNEL, () => this.wake());
    await this.listener.ready();
  }

  /** Stops listening and the rebuild in progress (between two batches: it resumes later). */
  async stop(): Promise<void> {
    const listener = this.listener;
    this.listener = undefined;
    this.abort.abort();
    await listener?.close();
    await Promise.all([this.current?.catch(() => undefined), this.waitingForHolder]);
  }

  /** A notice (or a new connection): run what is pending, after the run under way if there is one. */
  private wake(): void {
    if (this.abort.signal.aborted) return;
    if (this.current) {
      this.again = true;
      return;
    }
    void this.runPending()
      .then((outcome) => {
        if (outcome === 'busy') this.waitForHolder();
      })
      .catch((error) => this.logger.error({ projection: this.name, ...errorDetails(error) }, 'projection rebuild stopped'))
      .finally(() => {
        if (!this.again) return;
        this.again = false;
        this.wake();
      });
  }

  /**
   * Another replica runs the rebuild: wait in Postgres for its lock (taken, then given back by
   * closing the session) and look again. It is freed when that rebuild ends or its process dies (its session closes).
   */
  private waitForHolder(): void {
    if (this.waitingForHolder || this.abort.signal.aborted) return;
    const signal = this.abort.signal;
    this.waitingForHolder = (async () => {
      // A connection of its own, ended on stop. A backend waiting for a lock reads nothing from its
      // client: the wait is cancelled, and the backend also checks every second that its client is
      // still there (in case the cancel reached Postgres before the wait did).
      const session = new pg.Client({
        connectionString: (this.dataSource.options as { url?: string }).url,
        application_name: 'chronicle-rebuild-waiter',
        options: '-c client_connection_check_interval=1000',
      });
      session.on('error', () => undefined);
      const close = () => {
        const pid = (session as pg.Client & { processID?: number }).processID;
        if (pid !== undefined) void this.dataSource.query('SELECT pg_cancel_backend($1)', [pid]).catch(() => undefined);
        void session.end().catch(() => undefined);
      };
      signal.addEventListener('abort', close, { once: true });
      try {
        await session.connect();
        if (signal.aborted) return;
        await session.query('SELECT pg_advisory_lock(hashtext($1))', [lockName(this.name)]);
      } finally {
        signal.removeEventListener('abort', close);
        await session.end().catch(() => undefined);
      }
    })()
      // Postgres unreachable: look again after a pause, not at once (a refused connection would spin).
      .catch(async (error) => {
        if (signal.aborted) return;
        this.logger.warn({ projection: this.name, ...errorDetails(error) }, 'waiting for the replica that runs the rebuild failed; looking again in 1 s');
        await new Promise((resolve) => setTimeout(resolve, RETRY_AFTER_FAILURE_MS).unref());
      })
      .finally(() => {
        this.waitingForHolder = undefined;
        this.wake();
      });
  }

  /** Runs the pending or interrupted rebuild if there is one and no other process runs it. */
  runPending(): Promise<RebuildOutcome | 'busy'> {
    this.current ??= this.runLocked().finally(() => (this.current = undefined));
    return this.current;
  }

  private async runLocked(): Promise<RebuildOutcome | 'busy'> {
    const row = await getRebuild(this.dataSource, this.name);
    if (!row || !ACTIVE_REBUILD_STATES.includes(row.state) || this.abort.signal.aborted) return 'idle';
    const lock = this.dataSource.createQueryRunner();
    await lock.connect();
    try {
      if (!(await tryLock(lock, this.name))) return 'busy';
      try {
        return await runRebuild(this.dataSource, this.store, {
          name: this.name,
          batchSize: this.options.batchSize,
          progressIntervalMs: this.options.progressIntervalMs,
          evolve: this.options.evolve,
          foldWorkers: this.options.foldWorkers,
          logger: this.logger,
          signal: this.abort.signal,
          pauseLive: () => this.projector.stop(),
          // A service shutting down leaves its projector stopped.
          resumeLive: async () => {
            if (!this.abort.signal.aborted) await this.projector.start();
          },
        });
      } finally {
        await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [lockName(this.name)]).catch(() => undefined);
      }
    } finally {
      await lock.release();
    }
  }
}

const RETRY_AFTER_FAILURE_MS = 1_000;
const lockName = (name: string) => `chronicle-projection-rebuild:${name}`;

async function tryLock(runner: QueryRunner, name: string): Promise<boolean> {
  const [row] = await runner.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [lockName(name)]);
  return row.locked === true;
}
