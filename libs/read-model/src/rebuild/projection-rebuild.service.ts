import type { EventStore } from '@chronicle/event-store';
import type { DataSource, QueryRunner } from 'typeorm';
import type { EvolveFn } from '../projection/execution-fold.js';
import { EXECUTION_PROJECTION, type ExecutionProjector } from '../projection/execution-projector.js';
import { consoleProjectionLogger, errorDetails, type ProjectionLogger } from '../projection/projection-logger.js';
import { runRebuild, type RebuildOutcome, type RebuildRunOptions } from './projection-rebuild.js';
import { ACTIVE_REBUILD_STATES, getRebuild } from './rebuild-state.js';

export interface ProjectionRebuildServiceOptions {
  /** How often the service looks for a requested or interrupted rebuild (default 1000 ms). */
  readonly pollIntervalMs?: number;
  readonly batchSize?: number;
  readonly progressIntervalMs?: number;
  readonly evolve?: EvolveFn;
  /** See `RebuildRunOptions.foldWorkers`. */
  readonly foldWorkers?: RebuildRunOptions['foldWorkers'];
  readonly logger?: ProjectionLogger;
}

/**
 * Runs projection rebuilds inside the projection service, which owns the live projector and so
 * can pause it across the swap. It polls `projection_rebuilds` (the API writes requests there,
 * from any gateway); a session advisory lock lets one replica run a rebuild while the others
 * wait, and passes it on if that replica dies, which then resumes from the shadow checkpoint.
 */
export class ProjectionRebuildService {
  private timer: NodeJS.Timeout | undefined;
  private abort = new AbortController();
  private current: Promise<RebuildOutcome | 'busy'> | undefined;
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

  /** Starts polling; a rebuild left unfinished by a crash resumes on the first poll. */
  start(): void {
    if (this.timer) return;
    this.abort = new AbortController();
    const tick = () => {
      void this.runPending()
        .catch((error) => this.logger.error({ projection: this.name, ...errorDetails(error) }, 'projection rebuild stopped'))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, this.options.pollIntervalMs ?? 1_000).unref();
        });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  /** Stops polling and the rebuild in progress (between two batches: it resumes later). */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.abort.abort();
    await this.current?.catch(() => undefined);
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

const lockName = (name: string) => `chronicle-projection-rebuild:${name}`;

async function tryLock(runner: QueryRunner, name: string): Promise<boolean> {
  const [row] = await runner.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [lockName(name)]);
  return row.locked === true;
}
