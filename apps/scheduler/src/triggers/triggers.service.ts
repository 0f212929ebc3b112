import { FlowTriggersIndex, TriggerStateStore, type Platform } from '@chronicle/application';
import { parseNamespaceAllow } from '@chronicle/domain';
import type { Logger } from '@chronicle/runtime';
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

  constructor(private readonly platform: Platform, private readonly logger: Logger, fatal: (error: Error) => void) {
    // Errors from connections torn down while stopping are expected, not fatal.
    this.fatal = (error) => (this.stopped ? undefined : fatal(error));
    this.states = new TriggerStateStore(platform.pool);
    this.schedules = new ScheduleRunner(this.index, this.states, platform, platform.clock, logger);
    this.kafka = new KafkaTriggerConsumers(platform.bus, platform.topics.triggers, this.index, platform, logger, platform.config.topicPrefix);
    this.flowTriggers = new FlowTriggerListener(platform.store, this.index, this.states, platform.checkpoints, platform, logger, parseNamespaceAllow(platform.config.namespaceAllow));
    this.follower = new FlowStreamFollower(platform.store, this.index, logger, () => {
      this.schedules.wake();
      void this.kafka.sync();
    });
  }

  async start(): Promise<void> {
    await this.states.ensureSchema();
    this.unlisten = await this.states.listen(() => this.schedules.wake(), this.fatal);
    await this.follower.start(this.fatal);
    await this.flowTriggers.start(this.fatal);
    await this.kafka.start();
    this.schedules.wake();
  }

  private readonly fatal: (error: Error) => void;

  async stop(): Promise<void> {
    this.stopped = true;
    this.schedules.stop();
    await this.unlisten?.();
    await this.kafka.stop();
    await this.flowTriggers.stop();
    await this.follower.stop();
  }
}
