import { ConcurrencySlots, LeaderLock, TaskRunLeases, type Platform } from '@chronicle/application';
import { parseNamespaceAllow } from '@chronicle/domain';
import type { Consumer } from '@chronicle/messaging';
import type { Logger } from '@chronicle/runtime';
import { ExecutionCommandHandler } from './commands/execution-command.handler.js';
import { consumeExecutionCommands } from './commands/execution-command.consumer.js';
import { ExecutionCreationHandler } from './commands/execution-creation.handler.js';
import { ConcurrencyReleaseHandler } from './commands/concurrency-release.handler.js';
import { OutboxRelay } from './relay/outbox-relay.js';
import { TaskWorker } from './worker/task-worker.js';
import { workerServicesOf } from './worker/task-services.js';

/**
 * The executor process's work: decide commands, relay the outbox (while it holds the
 * relay leadership), and run task runs in its worker pool.
 */
export class ExecutorService {
  private consumer?: Consumer;
  private worker?: TaskWorker;
  private relay?: OutboxRelay;
  private lock?: LeaderLock;
  private stopped = false;

  constructor(private readonly platform: Platform, private readonly logger: Logger, private readonly instanceId: string) {}

  async start(): Promise<void> {
    const p = this.platform;
    const slots = new ConcurrencySlots(p.pool);
    await slots.ensureSchema();
    const handler = new ExecutionCommandHandler(p.store, p.flows, p.executions, p.clock, this.logger, { admission: slots, localTasks: p.config.localTasks });
    const releases = new ConcurrencyReleaseHandler(slots, p.clock, this.logger);
    const creations = new ExecutionCreationHandler({ store: p.store, flows: p.flows, executions: p.executions, clock: p.clock }, this.logger, parseNamespaceAllow(p.config.namespaceAllow));
    const leases = new TaskRunLeases(p.pool);
    await leases.ensureSchema();
    this.consumer = await consumeExecutionCommands(p.bus, p.topics, { handler, creations, leases, releases }, this.logger);
    // Six renewals per lease: a worker is only taken for lost after missing several in a row.
    this.worker = new TaskWorker(p.bus, p.topics, p.clock, this.logger, this.instanceId, p.config.workerConcurrency, {
      services: workerServicesOf(p),
      leaseRenewalMs: Math.max(500, Math.floor(p.config.leaseTimeoutMs / 6)),
      scriptSettings: p.config.script,
    });
    await this.worker.start();
    this.relay = new OutboxRelay(p.store, p.bus, p.topics, p.checkpoints, this.logger, (error) => this.fatal(error));
    this.lock = new LeaderLock(p.databaseUrl, 'chronicle-outbox-relay');
    // Waiting for the leadership must not hold up start-up: another replica may hold it.
    void this.lock
      .acquire((error) => this.fatal(error))
      .then(() => (this.stopped ? undefined : this.relay!.start()))
      .catch((error) => (this.stopped ? undefined : this.fatal(error)));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.relay?.stop();
    await this.lock?.release();
    await this.consumer?.stop();
    await this.worker?.stop();
  }

  /** Losing the relay's lock or subscription leaves the process unable to do its job: exit and be restarted. */
  private fatal(error: Error): void {
    if (this.stopped) return;
    this.logger.fatal({ err: error }, 'executor cannot continue');
    process.exitCode = 1;
    process.kill(process.pid, 'SIGTERM');
  }
}
