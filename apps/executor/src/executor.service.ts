import { Inject, Injectable } from '@nestjs/common';
import { CHECKPOINTS, CLOCK, CONCURRENCY_SLOTS, CONFIG, EVENT_STORE, EXECUTIONS, FIRST_DECISION, FLOWS, LEADERSHIP, MESSAGE_BUS, NAMED_LOCKS, TASK_RUN_LEASES, TOPICS } from '@chronicle/composition';
import { parseNamespaceAllow } from '@chronicle/domain';
import type { EventStore } from '@chronicle/event-store';
import type { Consumer, MessageBus, Topics } from '@chronicle/messaging';
import type { ChronicleConfig, Clock, Logger } from '@chronicle/runtime';
import {
  FirstStepDecider, ThrottledCheckpointStore, type CheckpointStore, type ConcurrencySlotTable, type ExecutionRepository, type FlowRepository, type Leadership,
  type LeadershipCampaign, type LocalFirstDecision, type NamedLockTable, type TaskRunLeaseTable,
} from '@chronicle/use-cases';
import { ExecutionCommandHandler } from './commands/execution-command.handler.js';
import { installationVariables } from './commands/installation-variables.js';
import { consumeExecutionCommands } from './commands/execution-command.consumer.js';
import { ExecutionCreationHandler } from './commands/execution-creation.handler.js';
import { ConcurrencyReleaseHandler } from './commands/concurrency-release.handler.js';
import { NamedLockHandler } from './commands/named-lock.handler.js';
import { OutboxRelay } from './relay/outbox-relay.js';
import { TaskWorker } from './worker/task-worker.js';
import type { TaskServices } from '@chronicle/tasks';
import { INSTANCE_ID, LOGGER, TASK_SERVICES } from './executor.tokens.js';

/**
 * The executor process's work: decide commands, relay the outbox (while it holds the
 * relay leadership), and run task runs in its worker pool.
 */
@Injectable()
export class ExecutorService {
  private consumer?: Consumer;
  private worker?: TaskWorker;
  private lock?: LeadershipCampaign;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(TOPICS) private readonly topics: Topics,
    @Inject(FLOWS) private readonly flows: FlowRepository,
    @Inject(EXECUTIONS) private readonly executions: ExecutionRepository,
    @Inject(CHECKPOINTS) private readonly checkpoints: CheckpointStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CONFIG) private readonly config: ChronicleConfig,
    @Inject(CONCURRENCY_SLOTS) private readonly slots: ConcurrencySlotTable,
    @Inject(TASK_RUN_LEASES) private readonly leases: TaskRunLeaseTable,
    @Inject(NAMED_LOCKS) private readonly namedLocks: NamedLockTable,
    @Inject(TASK_SERVICES) private readonly services: TaskServices,
    @Inject(LEADERSHIP) private readonly leadership: Leadership,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(INSTANCE_ID) private readonly instanceId: string,
    @Inject(FIRST_DECISION) private readonly firstDecision: LocalFirstDecision,
  ) {}

  async start(): Promise<void> {
    const { store, bus, topics, flows, executions, clock, config, slots, leases } = this;
    const handler = new ExecutionCommandHandler(store, flows, executions, clock, this.logger, { admission: slots, maxCached: config.executionCacheSize, localTasks: config.localTasks, installation: installationVariables(config), watchTargets: this.services.executions });
    // A gateway in this process (standalone) writes a start's first step with its creation.
    if (config.firstStepWithCreation) this.firstDecision.bind(handler);
    const releases = new ConcurrencyReleaseHandler(slots, clock, this.logger);
    // A child or retry execution it creates gets its first step in the same append (the same pure decision, not cached here: its commands may be another replica's).
    const firstStep = config.firstStepWithCreation ? { firstDecision: new FirstStepDecider(flows, clock, { localTasks: config.localTasks, installation: installationVariables(config) }) } : {};
    const creations = new ExecutionCreationHandler({ store, flows, executions, clock, namespaceAllow: parseNamespaceAllow(config.namespaceAllow), ...firstStep }, this.logger, parseNamespaceAllow(config.namespaceAllow));
    const locks = new NamedLockHandler(this.namedLocks, clock, this.logger);
    // Six renewals per lease: a worker is only taken for lost after missing several in a row.
    this.worker = new TaskWorker(bus, topics, clock, this.logger, this.instanceId, config.workerConcurrency, {
      services: this.services,
      leaseRenewalMs: Math.max(500, Math.floor(config.leaseTimeoutMs / 6)),
      scriptSettings: config.script,
    });
    // Each group join of a restarted replica waits for a rebalance: join them all at once.
    [this.consumer] = await Promise.all([consumeExecutionCommands(bus, topics, { handler, creations, leases, releases, locks }, this.logger), this.worker.start()]);
    // One checkpoint row write per quarter second at most, not one per batch (see ThrottledCheckpointStore).
    const checkpoints = new ThrottledCheckpointStore(this.checkpoints, 250, (error) => this.logger.warn({ err: error }, 'relay checkpoint not saved; retried with the next one'));
    // The relay hands each new execution's first event to the handler: its first decision reads nothing back.
    const relay = new OutboxRelay(store, bus, topics, checkpoints, this.logger, (event) => handler.prime(event));
    // Campaigning must not hold up start-up: another replica may lead. A lost Postgres connection
    // ends the leadership and the campaign starts again; the process never exits for it.
    this.lock = this.leadership('chronicle-outbox-relay', { lead: () => relay.start(), resign: () => relay.stop() });
    this.lock.start();
  }

  /**
   * What the other replicas wait for goes first and at once: the relay's leadership and the
   * group memberships (LeaveGroup hands the partitions over without waiting for a session timeout).
   */
  async stop(): Promise<void> {
    this.firstDecision.bind(undefined);
    await Promise.all([this.lock?.stop(), this.consumer?.stop(), this.worker?.stop()]);
  }
}
