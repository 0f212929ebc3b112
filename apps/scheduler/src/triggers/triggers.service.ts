import { Inject, Injectable } from '@nestjs/common';
import {
  CHECKPOINTS, CLOCK, CONFIG, EVENT_STORE, EXECUTIONS, FIRST_DECISION, FLOWS, INTERNAL_STORAGE, MESSAGE_BUS, SECRETS, TOPICS, TRIGGER_STATE_CACHE, TRIGGER_STATES, type TriggerStateCache,
} from '@chronicle/composition';
import { parseNamespaceAllow, type JsonObject } from '@chronicle/domain';
import type { EventStore } from '@chronicle/event-store';
import type { MessageBus, Topics } from '@chronicle/messaging';
import { InFlightLimit, registerAdmission, type ChronicleConfig, type Clock, type Logger, type Unregister } from '@chronicle/runtime';
import {
  boundOr, FirstStepDecider, FlowTriggersIndex, ThrottledCheckpointStore, type CheckpointStore, type CreateExecutionDeps, type ExecutionRepository, type FlowRepository, type InternalStorage,
  type LocalFirstDecision, type Secrets, type TriggerStates,
} from '@chronicle/use-cases';
import { SCHEDULER_LOGGER } from '../scheduler.tokens.js';
import { FlowStreamFollower } from './flow-stream-follower.js';
import { FlowTriggerListener } from './flow-trigger-listener.js';
import { HttpTriggerRunner } from './http-trigger-runner.js';
import { KafkaTriggerConsumers } from './kafka-trigger-consumers.js';
import { ScheduleRunner } from './schedule-runner.js';

/** Everything that starts executions without a person: schedules, HTTP polls, Kafka, upstream flows. */
@Injectable()
export class TriggersService {
  readonly index = new FlowTriggersIndex();
  readonly schedules: ScheduleRunner;
  readonly http: HttpTriggerRunner;
  private readonly follower: FlowStreamFollower;
  private readonly flowTriggers: FlowTriggerListener;
  private readonly kafka: KafkaTriggerConsumers;
  private unsubscribe?: () => void;
  /** The Kafka triggers' admission bound, and its gauges while started. */
  private readonly inFlight: InFlightLimit;
  private unregisterGauges?: Unregister;

  constructor(
    @Inject(TRIGGER_STATES) readonly states: TriggerStates,
    @Inject(TRIGGER_STATE_CACHE) private readonly runtimeStates: TriggerStateCache,
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(FLOWS) flows: FlowRepository,
    @Inject(EXECUTIONS) executions: ExecutionRepository,
    @Inject(INTERNAL_STORAGE) storage: InternalStorage,
    @Inject(MESSAGE_BUS) bus: MessageBus,
    @Inject(TOPICS) topics: Topics,
    @Inject(CHECKPOINTS) checkpoints: CheckpointStore,
    @Inject(CLOCK) clock: Clock,
    @Inject(CONFIG) config: ChronicleConfig,
    @Inject(SCHEDULER_LOGGER) logger: Logger,
    @Inject(FIRST_DECISION) firstDecision: LocalFirstDecision,
    @Inject(SECRETS) secrets: Secrets,
  ) {
    // What starting an execution needs (createExecution's ports).
    // A trigger's `inputs` may read `{{ envs.x }}` / `{{ globals.x }}` (CHRONICLE_ENV_VARS_PREFIX, CHRONICLE_GLOBALS).
    const installation = { envs: config.installation.envs, globals: config.installation.globals as JsonObject };
    // A start's first step goes in its creation's append: the executor of this process decides it
    // (standalone), else this scheduler does (the same pure decision; see FirstStepDecider).
    const firstStep = config.firstStepWithCreation ? { firstDecision: boundOr(firstDecision, new FirstStepDecider(flows, clock, { localTasks: config.localTasks, installation })) } : {};
    const creation: CreateExecutionDeps = { store, flows, executions, clock, storage, namespaceAllow: parseNamespaceAllow(config.namespaceAllow), installation, ...firstStep };
    this.schedules = new ScheduleRunner(this.index, states, creation, clock, logger);
    // An HTTP trigger's request may read envs, globals and `{{ secret('X') }}` (as the webhook key does).
    this.http = new HttpTriggerRunner(this.index, states, creation, clock, logger, { ...installation, secrets });
    // Admission control of Kafka triggers: past the bound they stop consuming (nothing acknowledged is lost);
    // the ends the flow-trigger listener sees in the log free the slots.
    this.inFlight = new InFlightLimit({ max: config.maxInFlight, holdMs: config.inFlightHoldMs, maxRssMb: config.maxRssMb });
    // At most one checkpoint row write per quarter second (see ThrottledCheckpointStore).
    const throttled = new ThrottledCheckpointStore(checkpoints, 250, (error) => logger.warn({ err: error }, 'flow-trigger checkpoint not saved; retried with the next one'));
    this.flowTriggers = new FlowTriggerListener(store, this.index, states, throttled, creation, logger, parseNamespaceAllow(config.namespaceAllow), (id) => {
      this.inFlight.ended(id);
      this.http.executionEnded(id);
    }, () => this.inFlight.inFlight > 0);
    // A start from the shared topic holds a slot that only its end frees: the listener must be following then.
    this.kafka = new KafkaTriggerConsumers(bus, topics.triggers, this.index, creation, logger, config, runtimeStates, this.inFlight, () => this.flowTriggers.expectEnd());
    this.follower = new FlowStreamFollower(store, this.index, flows.taskTypes, logger, (position) => {
      // The listener follows the log only while a trigger may want state changes.
      this.flowTriggers.indexChanged(position);
      this.schedules.wake();
      this.http.wake();
      void this.kafka.sync();
    });
  }

  async start(): Promise<void> {
    // Trigger state changes (enable, disable, backfill) from any replica wake the schedules and
    // re-sync the Kafka triggers; the process-wide cache listens (and listens again after a lost
    // connection, telling its subscribers then).
    this.unsubscribe = this.runtimeStates.subscribe(() => {
      this.schedules.wake();
      this.http.wake();
      void this.kafka.sync();
    });
    if (this.inFlight.bounded) this.unregisterGauges = registerAdmission('kafka_triggers', this.inFlight);
    await this.follower.start();
    await this.flowTriggers.start();
    await this.kafka.start();
    this.schedules.wake();
    this.http.wake();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unregisterGauges?.();
    this.unregisterGauges = undefined;
    this.schedules.stop();
    await this.http.stop();
    await this.kafka.stop();
    await this.flowTriggers.stop();
    await this.follower.stop();
  }
}
