import type { Logger } from '@chronicle/runtime';

/** How long a graceful stop may take before the process exits anyway. */
const SHUTDOWN_DEADLINE_MS = 5000;

/**
 * SIGINT/SIGTERM handling for the whole life of a process, start-up included. Installed first
 * thing: a signal that came while the process was still starting (waiting for Kafka, migrating,
 * joining its groups) used to kill it outright, leaving the embedded Postgres of a standalone
 * process running and its consumer group memberships to time out. Now:
 * - during start-up, it undoes what has started so far (`undoOnEarlyStop`, last first: the Nest
 *   application, the platform, the embedded Postgres), then exits 0; a start-up step that fails
 *   because of that (`step`) is not reported as a failed start;
 * - once started (`started`), it runs the service's stop, which releases what others wait for first
 *   (leader locks, consumer group memberships).
 * Either way a stop that hangs (a handler waiting for a server that is down) is cut off after a
 * deadline, with a line saying so, rather than holding locks and partitions in silence.
 */
export class ProcessShutdown {
  private readonly undo: Array<() => Promise<void>> = [];
  private stop?: () => Promise<void>;
  private stopping = false;
  private flush: () => Promise<void> = async () => undefined;

  constructor(private readonly logger: Logger) {
    process.on('SIGINT', this.handle);
    process.on('SIGTERM', this.handle);
  }

  /** Whether a signal is stopping the process (start-up steps then fail on purpose). */
  get isStopping(): boolean {
    return this.stopping;
  }

  /** Something started during start-up that a signal must undo until `started` is called. */
  undoOnEarlyStop(cleanup: () => Promise<void>): void {
    this.undo.push(cleanup);
  }

  /** Run last, after the stop (the traces' flush). */
  afterStop(flush: () => Promise<void>): void {
    this.flush = flush;
  }

  /**
   * A start-up step. Its failure is the caller's to report, unless a signal is stopping the
   * process: then the step failed because what it used was closed under it, and the promise never
   * settles (the stop exits the process), so no "could not start" line or stack trace follows.
   */
  step<T>(work: Promise<T>): Promise<T> {
    return work.catch((error: unknown) => (this.stopping ? new Promise<T>(() => undefined) : Promise.reject(error)));
  }

  /** Start-up is complete: a signal from now on runs `stop` (the start-up undo list is dropped). */
  started(stop: () => Promise<void>): void {
    this.stop = stop;
    this.undo.length = 0;
  }

  private readonly handle = (signal: string): void => {
    if (this.stopping) return;
    this.stopping = true;
    const began = Date.now();
    const duringStartup = this.stop === undefined;
    this.logger.info({ signal, duringStartup }, duringStartup ? 'shutting down during start-up' : 'shutting down');
    const deadline = setTimeout(() => {
      this.logger.warn({ afterMs: SHUTDOWN_DEADLINE_MS }, 'shutdown did not finish in time; exiting now');
      process.exit(process.exitCode ?? 1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    const stop = this.stop ?? (() => this.undoStartup());
    stop()
      .catch((error) => this.logger.error({ err: error }, 'error while shutting down'))
      .then(() => this.flush())
      .finally(() => {
        this.logger.info({ ms: Date.now() - began }, 'stopped');
        process.exit(process.exitCode ?? 0);
      });
  };

  /** Each undo in turn, last first; one that fails does not keep the others from running. */
  private async undoStartup(): Promise<void> {
    for (const cleanup of [...this.undo].reverse()) {
      await cleanup().catch((error: unknown) => this.logger.warn({ err: error }, 'could not undo a start-up step'));
    }
  }
}
