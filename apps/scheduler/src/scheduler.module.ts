import { Inject, Injectable, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Platform } from '@chronicle/application';
import type { Logger } from '@chronicle/runtime';
import { TriggersService } from './triggers/triggers.service.js';
import { timersProviders } from './timers/timers.providers.js';

const TRIGGERS = Symbol('SCHEDULER_TRIGGERS');
const LOGGER = Symbol('SCHEDULER_LOGGER');

/**
 * The scheduler owns time and outside triggers: cron schedules, Kafka trigger topics and flow
 * triggers (TriggersService), and durable timers.
 */
@Injectable()
class SchedulerLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(TRIGGERS) private readonly triggers: TriggersService, @Inject(LOGGER) private readonly logger: Logger) {}
  async onApplicationBootstrap() {
    await this.triggers.start();
    this.logger.info({ schedules: this.triggers.index.ofKind('Schedule').length, kafka: this.triggers.index.ofKind('Kafka').length, flow: this.triggers.index.ofKind('Flow').length }, 'scheduler triggers started');
  }
  async onApplicationShutdown() {
    await this.triggers.stop();
  }
}

@Module({})
export class SchedulerModule {
  static register(platform: Platform, logger: Logger): DynamicModule {
    const fatal = (error: Error) => {
      logger.fatal({ err: error }, 'scheduler cannot continue');
      process.exitCode = 1;
      process.kill(process.pid, 'SIGTERM');
    };
    return {
      module: SchedulerModule,
      providers: [
        { provide: LOGGER, useValue: logger },
        { provide: TRIGGERS, useValue: new TriggersService(platform, logger, fatal) },
        SchedulerLifecycle,
        ...timersProviders(platform, logger, fatal),
      ],
    };
  }
}
