import { Inject, Injectable } from '@nestjs/common';
import { CHECKPOINTS, CLOCK, CONFIG, EVENT_STORE, EXECUTIONS, FLOWS, INTERNAL_STORAGE, MESSAGE_BUS, TOPICS, TRIGGER_STATES } from '@chronicle/composition';
import { parseNamespaceAllow } from '@chronicle/domain';
import type { EventStore } from '@chronicle/event-store';
import type { MessageBus, Topics } from '@chronicle/messaging';
import { InFlightLimit, type ChronicleConfig, type Clock, type Logger } from '@chronicle/runtime';
import { ThrottledCheckpointStore, type CheckpointStore } from '@chronicle/stores';
import { FlowTriggersIndex, type CreateExecutionDeps, type ExecutionRepository, type FlowRepository, type InternalStorage, type TriggerStates } from '@chronicle/use-cases';
import { SCHEDULER_LOGGER } from '../scheduler.tokens.js';
import { FlowStreamFollower } from './flow-stream-follower.js';
import { FlowTriggerListener } from './flow-trigger-listener.js';
import { KafkaTriggerConsumers } from './kafka-trigger-consumers.js';
import { ScheduleRunner } from './schedule-runner.js';

/** Everything that starts executions without a person: schedules, Kafka, upstream flows. */
@Injectable()
export class TriggersService {
  readonly index = new FlowTriggersIndex();
  readonly schedules: ScheduleRunner;
  private readonly follower: FlowStreamFollower;
  private readonly flowTriggers: FlowTriggerListener;
  private readonly kafka: KafkaTriggerConsumers;
  private unlisten?: () => Promise<void>;
  private stopped = false;

  constructor(
    @Inject(TRIGGER_STATES) readonly states: TriggerStates,
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(FLOWS) flows: FlowRepository,
    @Inject(EXECUTIONS) executions: ExecutionRepository,
    @Inject(INTERNAL_STORAGE) storage: InternalStorage,
    @Inject(MESSAGE_BUS) bus: MessageBus,
    @Inject(TOPICS) topics: Topics,
    @Inject(CHECKPOINTS) checkpoints: CheckpointStore,
    @Inject(CLOCK) clock: Clock,
    @Inject(CONFIG) config: ChronicleConfig,
    @Inject(SCHEDULER_LOGGER) private readonly logger: Logger,
  ) {
    // What starting an execution needs (createExecution's ports).
    const creation: CreateExecutionDeps = { store, flows, executions, clock, storage };
    this.schedules = new ScheduleRunner(this.index, states, creation, clock, logger);
    // Admission control of Kafka triggers: past the bound they stop consuming (nothing acknowledged is lost);
    // the ends the flow-trigger listener sees in the log free the slots.
    const inFlight = new InFlightLimit({ max: config.maxInFlight, holdMs: config.inFlightHoldMs, maxRssMb: config.maxRssMb });
    this.kafka = new KafkaTriggerConsumers(bus, topics.triggers, this.index, creation, logger, config.topicPrefix, states, inFlight);
    // At most one checkpoint row write per quarter second (see ThrottledCheckpointStore).
    const throttled = new ThrottledCheckpointStore(checkpoints, 250, (error) => logger.warn({ err: error }, 'flow-trigger checkpoint not saved; retried with the next one'));
    this.flowTriggers = new FlowTriggerListener(store, this.index, states, throttled, creation, logger, parseNamespaceAllow(config.namespaceAllow), (id) => inFlight.ended(id));
    this.follower = new FlowStreamFollower(store, this.index, logger, () => {
      this.schedules.wake();
      void this.kafka.sync();
    });
  }

  async start(): Promise<void> {
    await this.listen();
    await this.follower.start();
    await this.flowTriggers.start();
    await this.kafka.start();
    this.schedules.wake();
  }

  /**
   * Trigger state changes (enable, disable, backfill) from any replica wake the schedules. A lost
   * LISTEN connection (Postgres restarting) is opened again once Postgres answers, followed by a
   * wake for what was missed meanwhile; the scheduler waits, it does not exit.
   */
  private async listen(): Promise<void> {
    if (this.stopped) return;
    this.unlisten = await this.states.listen(() => {
      this.schedules.wake();
      void this.kafka.sync();
    }, (error) => {
      if (this.stopped) return;
      this.logger.warn({ err: error }, 'trigger state LISTEN connection lost; listening again');
      const lost = this.unlisten;
      this.unlisten = undefined;
      void lost?.().catch(() => undefined);
      const again = () => setTimeout(() => void this.listen().then(() => this.schedules.wake(), again), 1000);
      again();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.schedules.stop();
    await this.unlisten?.();
    await this.kafka.stop();
    await this.flowTriggers.stop();
    await this.follower.stop();
  }
}
