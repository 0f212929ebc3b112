import { Inject, Injectable, Module, type BeforeApplicationShutdown, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from '@chronicle/runtime';
import { SCHEDULER_LOGGER } from './scheduler.tokens.js';
import { TriggersService } from './triggers/triggers.service.js';
import { timersProviders } from './timers/timers.providers.js';

const STOPPING = Symbol('SCHEDULER_STOPPING');

/** Set when the module begins to stop: errors of connections closed by the shutdown are not fatal. */
interface StoppingFlag {
  value: boolean;
}

/**
 * The scheduler owns time and outside triggers: cron schedules, HTTP polls, Kafka trigger topics and flow
 * triggers (TriggersService), and durable timers.
 */
@Injectable()
class SchedulerLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    @Inject(TriggersService) private readonly triggers: TriggersService,
    @Inject(SCHEDULER_LOGGER) private readonly logger: Logger,
    @Inject(STOPPING) private readonly stopping: StoppingFlag,
  ) {}
  async onApplicationBootstrap() {
    await this.triggers.start();
    this.logger.info({ schedules: this.triggers.index.ofKind('Schedule').length, http: this.triggers.index.ofKind('Http').length, kafka: this.triggers.index.ofKind('Kafka').length, flow: this.triggers.index.ofKind('Flow').length }, 'scheduler triggers started');
  }
  beforeApplicationShutdown() {
    this.stopping.value = true;
  }
  async onApplicationShutdown() {
    this.stopping.value = true;
    await this.triggers.stop();
  }
}

@Module({})
export class SchedulerModule {
  static register(logger: Logger): DynamicModule {
    const stopping: StoppingFlag = { value: false };
    return {
      module: SchedulerModule,
      providers: [
        { provide: SCHEDULER_LOGGER, useValue: logger },
        { provide: STOPPING, useValue: stopping },
        TriggersService,
        SchedulerLifecycle,
        ...timersProviders,
      ],
    };
  }
}
