import { Global, Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import type { DeadLetterStore } from '@chronicle/messaging';
import type { Logger } from '@chronicle/runtime';
import {
  ConcurrencySlots, ExecutionAdminStore, ExecutionLogStore, findStalledExecutions, LeaderLock, NamedLocks, PostgresDurableTimers, TaskRunLeases, TriggerStateStore,
} from '@chronicle/stores';
import { LocalFirstDecision, type FindStalledExecutions, type Leadership } from '@chronicle/use-cases';
import { createDeadLetterStore } from './dead-letter-store.js';
import { platformHealthChecks } from './health-server.js';
import type { Platform } from './platform.js';
import {
  CHECKPOINTS, CLOCK, CONCURRENCY_SLOTS, CONFIG, DEAD_LETTERS, DURABLE_TIMERS, EVENT_STORE, EXECUTION_ADMIN, EXECUTION_LOGS, EXECUTIONS, FIRST_DECISION, FLOWS,
  HEALTH_CHECKS, INTERNAL_STORAGE, KV_STORE, LEADERSHIP, MESSAGE_BUS, NAMED_LOCKS, SECRETS, STALLED_EXECUTIONS, TASK_RUN_LEASES, TOPICS,
  TRIGGER_STATE_CACHE, TRIGGER_STATES,
} from './port-tokens.js';
import { TriggerStateCache } from './trigger-state-cache.js';

/** A store on the platform's Postgres, its table ensured before anything uses it. */
const ensured = <T extends { ensureSchema(): Promise<void> }>(provide: symbol, build: () => T): Provider => ({
  provide,
  useFactory: async () => {
    const store = build();
    await store.ensureSchema();
    return store;
  },
});

/** Every port of the platform under its token (port-tokens.ts): the adapters the configuration chose. */
export function platformProviders(platform: Platform, logger: Logger): Provider[] {
  const { pool } = platform;
  return [
    { provide: CONFIG, useValue: platform.config },
    { provide: EVENT_STORE, useValue: platform.store },
    { provide: MESSAGE_BUS, useValue: platform.bus },
    { provide: TOPICS, useValue: platform.topics },
    { provide: CLOCK, useValue: platform.clock },
    { provide: CHECKPOINTS, useValue: platform.checkpoints },
    { provide: FLOWS, useValue: platform.flows },
    { provide: EXECUTIONS, useValue: platform.executions },
    { provide: INTERNAL_STORAGE, useValue: platform.storage },
    { provide: KV_STORE, useValue: platform.kv },
    { provide: SECRETS, useValue: platform.secrets },
    ensured(TRIGGER_STATES, () => new TriggerStateStore(pool)),
    { provide: TRIGGER_STATE_CACHE, useFactory: (states: TriggerStateStore) => new TriggerStateCache(states, logger.child({ component: 'trigger-states' })), inject: [TRIGGER_STATES] },
    ensured(CONCURRENCY_SLOTS, () => new ConcurrencySlots(pool)),
    ensured(TASK_RUN_LEASES, () => new TaskRunLeases(pool)),
    ensured(NAMED_LOCKS, () => new NamedLocks(pool)),
    ensured(DURABLE_TIMERS, () => new PostgresDurableTimers(pool, platform.databaseUrl, logger.child({ component: 'timers' }))),
    { provide: LEADERSHIP, useValue: ((name, role) => new LeaderLock(platform.databaseUrl, name, logger, role)) satisfies Leadership },
    { provide: STALLED_EXECUTIONS, useValue: ((since, limit) => findStalledExecutions(pool, since, limit)) satisfies FindStalledExecutions },
    { provide: EXECUTION_LOGS, useValue: new ExecutionLogStore(pool) },
    { provide: EXECUTION_ADMIN, useValue: new ExecutionAdminStore(pool, platform.store, platform.storage) },
    { provide: HEALTH_CHECKS, useFactory: () => platformHealthChecks(platform) },
    // Lazy: no broker connection until the API asks for dead letters.
    { provide: DEAD_LETTERS, useFactory: () => createDeadLetterStore(platform) },
    // One per process: the executor binds itself when it starts, the gateway's starts ask it.
    { provide: FIRST_DECISION, useValue: new LocalFirstDecision() },
  ];
}

/** Closes what the ports hold open (the trigger state cache listens once a service uses it). */
@Injectable()
class PlatformLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(TRIGGER_STATE_CACHE) private readonly triggerStates: TriggerStateCache,
    @Inject(DEAD_LETTERS) private readonly deadLetters: DeadLetterStore,
  ) {}
  async onApplicationShutdown() {
    await this.triggerStates.stop();
    await this.deadLetters.close();
  }
}

/**
 * The platform's ports as a global Nest module: a process (one service, or the standalone process
 * hosting all four) imports it once, and every service module `@Inject`s ports by their token. No
 * service receives the platform itself.
 */
@Global()
@Module({})
export class PlatformModule {
  static of(platform: Platform, logger: Logger): DynamicModule {
    const providers = platformProviders(platform, logger);
    return {
      module: PlatformModule,
      global: true,
      providers: [...providers, PlatformLifecycle],
      exports: providers.map((p) => (p as { provide: symbol }).provide),
    };
  }
}

/** A process's root module: the platform's ports and the services it hosts. */
@Module({})
export class ChronicleProcessModule {
  static hosting(platform: Platform, logger: Logger, services: DynamicModule[]): DynamicModule {
    return { module: ChronicleProcessModule, imports: [PlatformModule.of(platform, logger), ...services] };
  }
}
