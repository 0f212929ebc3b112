import { Inject, Injectable, Module, type DynamicModule, type OnApplicationBootstrap } from '@nestjs/common';
import type { Platform } from '@chronicle/application';
import type { Logger } from '@chronicle/runtime';

const LOGGER = Symbol('SCHEDULER_LOGGER');

/**
 * The scheduler owns time and outside triggers (cron schedules, durable timers, Kafka
 * trigger topics, flow triggers). Nothing is scheduled yet: it starts and reports ready.
 */
@Injectable()
class SchedulerLifecycle implements OnApplicationBootstrap {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}
  onApplicationBootstrap() {
    this.logger.info('scheduler started: no triggers to schedule yet');
  }
}

@Module({})
export class SchedulerModule {
  static register(_platform: Platform, logger: Logger): DynamicModule {
    return { module: SchedulerModule, providers: [{ provide: LOGGER, useValue: logger }, SchedulerLifecycle] };
  }
}
