import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import type { Platform } from '@chronicle/composition';
import type { Logger } from '@chronicle/runtime';
import { TaskRunHealthService } from '../health/task-run-health.service.js';
import { DurableTimersService } from './durable-timers.service.js';
import { TimerStore } from './timer.store.js';

const TIMERS = Symbol('SCHEDULER_DURABLE_TIMERS');
const HEALTH = Symbol('SCHEDULER_TASK_RUN_HEALTH');

@Injectable()
class TimersLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(TIMERS) private readonly timers: DurableTimersService, @Inject(HEALTH) private readonly health: TaskRunHealthService) {}
  async onApplicationBootstrap() {
    await this.timers.start();
    await this.health.start();
  }
  async onApplicationShutdown() {
    await this.health.stop();
    await this.timers.stop();
  }
}

/** The scheduler's durable timers and its task-run health check, as Nest providers. */
export function timersProviders(platform: Platform, logger: Logger): Provider[] {
  const deps = { pool: platform.pool, databaseUrl: platform.databaseUrl, bus: platform.bus, topics: platform.topics, clock: platform.clock };
  const store = new TimerStore(platform.pool);
  return [
    { provide: TIMERS, useValue: new DurableTimersService({ ...deps, logger: logger.child({ component: 'timers' }) }) },
    {
      provide: HEALTH,
      useValue: new TaskRunHealthService(
        { ...deps, logger: logger.child({ component: 'task-run-health' }), prune: (before) => store.prune(before) },
        // The decider takes over an expired lease as a new attempt (ExpireTaskRunLease).
        { leaseMs: platform.config.leaseTimeoutMs, intervalMs: Math.ceil(platform.config.leaseTimeoutMs / 2), takeOverExpiredLeases: true },
      ),
    },
    TimersLifecycle,
  ];
}
