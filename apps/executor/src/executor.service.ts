import { ConcurrencySlots, LeaderLock, TaskRunLeases, ThrottledCheckpointStore } from '@chronicle/stores';
import type { Platform } from '@chronicle/composition';
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
  private lock?: LeaderLock;

  constructor(private readonly platform: Platform, private readonly logger: Logger, private readonly instanceId: string) {}

  async start(): Promise<void> {
    const p = this.platform;
    const slots = new ConcurrencySlots(p.pool);
    const leases = new TaskRunLeases(p.pool);
    await Promise.all([slots.ensureSchema(), leases.ensureSchema()]);
    const handler = new ExecutionCommandHandler(p.store, p.flows, p.executions, p.clock, this.logger, { admission: slots, localTasks: p.config.localTasks });
    const releases = new ConcurrencyReleaseHandler(slots, p.clock, this.logger);
    const creations = new ExecutionCreationHandler({ store: p.store, flows: p.flows, executions: p.executions, clock: p.clock }, this.logger, parseNamespaceAllow(p.config.namespaceAllow));
    // Six renewals per lease: a worker is only taken for lost after missing several in a row.
    this.worker = new TaskWorker(p.bus, p.topics, p.clock, this.logger, this.instanceId, p.config.workerConcurrency, {
      services: workerServicesOf(p),
      leaseRenewalMs: Math.max(500, Math.floor(p.config.leaseTimeoutMs / 6)),
      scriptSettings: p.config.script,
    });
    // Each group join of a restarted replica waits for a rebalance: join them all at once.
    [this.consumer] = await Promise.all([consumeExecutionCommands(p.bus, p.topics, { handler, creations, leases, releases }, this.logger), this.worker.start()]);
    // One checkpoint row write per quarter second at most, not one per batch (see ThrottledCheckpointStore).
    const checkpoints = new ThrottledCheckpointStore(p.checkpoints, 250, (error) => this.logger.warn({ err: error }, 'relay checkpoint not saved; retried with the next one'));
    const relay = new OutboxRelay(p.store, p.bus, p.topics, checkpoints, this.logger, (event) => handler.prime(event));
    // Campaigning must not hold up start-up: another replica may lead. A lost Postgres connection
    // ends the leadership and the campaign starts again; the process never exits for it.
    this.lock = new LeaderLock(p.databaseUrl, 'chronicle-outbox-relay', this.logger, { lead: () => relay.start(), resign: () => relay.stop() });
    this.lock.start();
  }

  /**
   * What the other replicas wait for goes first and at once: the relay's leadership and the
   * group memberships (LeaveGroup hands the partitions over without waiting for a session timeout).
   */
  async stop(): Promise<void> {
    await Promise.all([this.lock?.stop(), this.consumer?.stop(), this.worker?.stop()]);
  }
}
