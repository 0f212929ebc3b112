import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import {
  CLOCK, CONFIG, LEADERSHIP, MESSAGE_BUS, NAMED_LOCKS, POSTGRES, STALLED_EXECUTIONS, TASK_RUN_LEASES, TOPICS, type PostgresConnection,
} from '@chronicle/composition';
import type { MessageBus, Topics } from '@chronicle/messaging';
import type { ChronicleConfig, Clock, Logger } from '@chronicle/runtime';
import type { FindStalledExecutions, Leadership, NamedLockTable, TaskRunLeaseTable } from '@chronicle/use-cases';
import { TaskRunHealthService } from '../health/task-run-health.service.js';
import { SCHEDULER_LOGGER } from '../scheduler.tokens.js';
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

/**
 * The scheduler's durable timers and its task-run health check, as Nest providers. The timers are
 * the scheduler's own Postgres table (their leader LISTENs on its session), so they take the
 * database connection; the health check works through the platform's ports.
 */
export const timersProviders: Provider[] = [
  {
    provide: TIMERS,
    inject: [POSTGRES, MESSAGE_BUS, TOPICS, CLOCK, SCHEDULER_LOGGER],
    useFactory: (postgres: PostgresConnection, bus: MessageBus, topics: Topics, clock: Clock, logger: Logger) =>
      new DurableTimersService({ pool: postgres.pool, databaseUrl: postgres.databaseUrl, bus, topics, clock, logger: logger.child({ component: 'timers' }) }),
  },
  {
    provide: HEALTH,
    inject: [POSTGRES, TASK_RUN_LEASES, NAMED_LOCKS, STALLED_EXECUTIONS, LEADERSHIP, MESSAGE_BUS, TOPICS, CLOCK, CONFIG, SCHEDULER_LOGGER],
    useFactory: (
      postgres: PostgresConnection, leases: TaskRunLeaseTable, namedLocks: NamedLockTable, stalledExecutions: FindStalledExecutions, leadership: Leadership,
      bus: MessageBus, topics: Topics, clock: Clock, config: ChronicleConfig, logger: Logger,
    ) => {
      const timers = new TimerStore(postgres.pool);
      return new TaskRunHealthService(
        { leases, namedLocks, stalledExecutions, leadership, bus, topics, clock, logger: logger.child({ component: 'task-run-health' }), prune: (before) => timers.prune(before) },
        // The decider takes over an expired lease as a new attempt (ExpireTaskRunLease).
        { leaseMs: config.leaseTimeoutMs, intervalMs: Math.ceil(config.leaseTimeoutMs / 2), takeOverExpiredLeases: true },
      );
    },
  },
  TimersLifecycle,
];
