import { FlowTriggersIndex } from '@chronicle/use-cases';
import { ThrottledCheckpointStore, TriggerStateStore } from '@chronicle/stores';
import type { Platform } from '@chronicle/composition';
import { parseNamespaceAllow } from '@chronicle/domain';
import { InFlightLimit, type Logger } from '@chronicle/runtime';
import { FlowStreamFollower } from './flow-stream-follower.js';
import { FlowTriggerListener } from './flow-trigger-listener.js';
import { KafkaTriggerConsumers } from './kafka-trigger-consumers.js';
import { ScheduleRunner } from './schedule-runner.js';

/** Everything that starts executions without a person: schedules, Kafka, upstream flows. */
export class TriggersService {
  readonly index = new FlowTriggersIndex();
  readonly states: TriggerStateStore;
  readonly schedules: ScheduleRunner;
  private readonly follower: FlowStreamFollower;
  private readonly flowTriggers: FlowTriggerListener;
  private readonly kafka: KafkaTriggerConsumers;
  private unlisten?: () => Promise<void>;
  private stopped = false;

  constructor(private readonly platform: Platform, private readonly logger: Logger) {
    this.states = new TriggerStateStore(platform.pool);
    this.schedules = new ScheduleRunner(this.index, this.states, platform, platform.clock, logger);
    // Admission control of Kafka triggers: past the bound they stop consuming (nothing acknowledged is lost);
    // the ends the flow-trigger listener sees in the log free the slots.
    const inFlight = new InFlightLimit({ max: platform.config.maxInFlight, holdMs: platform.config.inFlightHoldMs, maxRssMb: platform.config.maxRssMb });
    this.kafka = new KafkaTriggerConsumers(platform.bus, platform.topics.triggers, this.index, platform, logger, platform.config.topicPrefix, inFlight);
    const checkpoints = new ThrottledCheckpointStore(platform.checkpoints, 250, (error) => logger.warn({ err: error }, 'flow-trigger checkpoint not saved; retried with the next one'));
    this.flowTriggers = new FlowTriggerListener(platform.store, this.index, this.states, checkpoints, platform, logger, parseNamespaceAllow(platform.config.namespaceAllow), (id) => inFlight.ended(id));
    this.follower = new FlowStreamFollower(platform.store, this.index, logger, () => {
      this.schedules.wake();
      void this.kafka.sync();
    });
  }

  async start(): Promise<void> {
    await this.states.ensureSchema();
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
    this.unlisten = await this.states.listen(() => this.schedules.wake(), (error) => {
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
