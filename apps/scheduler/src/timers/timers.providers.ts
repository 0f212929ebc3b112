import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { CLOCK, CONFIG, DURABLE_TIMERS, LEADERSHIP, MESSAGE_BUS, NAMED_LOCKS, STALLED_EXECUTIONS, TASK_RUN_LEASES, TOPICS } from '@chronicle/composition';
import type { MessageBus, Topics } from '@chronicle/messaging';
import type { ChronicleConfig, Clock, Logger } from '@chronicle/runtime';
import type { DurableTimerTable, FindStalledExecutions, Leadership, NamedLockTable, TaskRunLeaseTable } from '@chronicle/use-cases';
import { TaskRunHealthService } from '../health/task-run-health.service.js';
import { SCHEDULER_LOGGER } from '../scheduler.tokens.js';
import { DurableTimersService } from './durable-timers.service.js';

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

/**
 * The scheduler's durable timers and its task-run health check, as Nest providers, both over the
 * platform's ports (the timers' table is the DURABLE_TIMERS port; the health check prunes it).
 */
export const timersProviders: Provider[] = [
  {
    provide: TIMERS,
    inject: [DURABLE_TIMERS, MESSAGE_BUS, TOPICS, CLOCK, SCHEDULER_LOGGER],
    useFactory: (timers: DurableTimerTable, bus: MessageBus, topics: Topics, clock: Clock, logger: Logger) =>
      new DurableTimersService({ timers, bus, topics, clock, logger: logger.child({ component: 'timers' }) }),
  },
  {
    provide: HEALTH,
    inject: [DURABLE_TIMERS, TASK_RUN_LEASES, NAMED_LOCKS, STALLED_EXECUTIONS, LEADERSHIP, MESSAGE_BUS, TOPICS, CLOCK, CONFIG, SCHEDULER_LOGGER],
    useFactory: (
      timers: DurableTimerTable, leases: TaskRunLeaseTable, namedLocks: NamedLockTable, stalledExecutions: FindStalledExecutions, leadership: Leadership,
      bus: MessageBus, topics: Topics, clock: Clock, config: ChronicleConfig, logger: Logger,
    ) => new TaskRunHealthService(
      { leases, namedLocks, stalledExecutions, leadership, bus, topics, clock, logger: logger.child({ component: 'task-run-health' }), prune: (before) => timers.prune(before) },
      // The decider takes over an expired lease as a new attempt (ExpireTaskRunLease).
      { leaseMs: config.leaseTimeoutMs, intervalMs: Math.ceil(config.leaseTimeoutMs / 2), takeOverExpiredLeases: true },
    ),
  },
  TimersLifecycle,
];
