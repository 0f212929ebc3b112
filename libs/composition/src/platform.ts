import pg from 'pg';
import { type EventStore } from '@chronicle/event-store';
import { PostgresEventStore } from '@chronicle/event-store/postgres';
import { InProcessMessageBus, KafkaMessageBus, topicNames, type MessageBus, type Topics } from '@chronicle/messaging';
import { ConfigError, configureMetrics, systemClock, type ChronicleConfig, type Clock, type Logger } from '@chronicle/runtime';
import { PostgresCheckpointStore } from '@chronicle/stores';
import { instrumentEventStore } from './observability/instrumented-event-store.js';
import { instrumentMessageBus } from './observability/instrumented-message-bus.js';
import { createInternalStorage } from '@chronicle/stores';
import type { InternalStorage } from '@chronicle/use-cases';
import { KvStore } from '@chronicle/stores';
import { EnvSecrets } from '@chronicle/stores';
import { ExecutionRepository } from '@chronicle/use-cases';
import { FlowRepository } from '@chronicle/use-cases';
import { TASK_CATALOG } from '@chronicle/tasks';

/**
 * The shared infrastructure of a Chronicle process, built once from the configuration:
 * the event store, the bus, the Postgres pool, and the repositories over them. The
 * standalone process builds one and hands it to all four services.
 */
export interface Platform {
  readonly config: ChronicleConfig;
  readonly databaseUrl: string;
  readonly pool: pg.Pool;
  readonly store: EventStore;
  readonly bus: MessageBus;
  readonly topics: Topics;
  readonly clock: Clock;
  readonly checkpoints: PostgresCheckpointStore;
  readonly flows: FlowRepository;
  readonly executions: ExecutionRepository;
  /** Kestra's internal storage: a folder standalone, Postgres in the distributed mode (see storage/). */
  readonly storage: InternalStorage;
  /** Kestra's KV store (kv_entries), per namespace. */
  readonly kv: KvStore;
  /** Secrets from SECRET_<KEY> environment variables, base64 (Kestra's open-source way). */
  readonly secrets: EnvSecrets;
  readonly mode: 'standalone' | 'distributed';
  close(): Promise<void>;
}

/** The main pool's connections in pg_stat_activity. */
export const MAIN_POOL_APPLICATION_NAME = 'chronicle-main';

/** How long the main pool keeps an idle connection open (see createPlatform). */
export const MAIN_POOL_IDLE_TIMEOUT_MS = 60_000;

export async function createPlatform(config: ChronicleConfig, databaseUrl: string, logger: Logger): Promise<Platform> {
  const ms: Record<string, number> = {};
  configureMetrics({ namespaceLabels: config.metricsNamespaceLabels });
  // Read models, checkpoints and the leader lock always live in Postgres (DATABASE_URL); the
  // event log is EventStoreDB when EVENTSTORE_URL names one, else the same Postgres.
  // Bounded: each connection is a Postgres backend with its own memory (CHRONICLE_PG_POOL_SIZE).
  // Idle connections are kept for a minute, not pg's 10 s: the periodic jobs (leases, timers, locks:
  // about every 30 s) and a low rate of executions otherwise closed a connection and opened a new
  // one, a new backend (fork, password exchange, cold catalog caches), every few seconds under load.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: config.pgPoolSize, application_name: MAIN_POOL_APPLICATION_NAME, idleTimeoutMillis: MAIN_POOL_IDLE_TIMEOUT_MS });
  // An idle pooled connection that Postgres closes (restart, failover) must not crash the process:
  // the pool drops it and the next query opens a new one.
  pool.on('error', (error) => logger.warn({ err: error }, 'idle Postgres connection lost'));
  // The pool listens for errors on idle connections only. One checked out and between two queries
  // (a transaction waiting on its caller) that Postgres closes (a restart) emitted an unhandled
  // 'error' and took the whole process down (a standalone chaos run, at a Postgres restart). Its
  // next query fails instead, as an outage, and is retried; the pool drops it on release.
  pool.on('connect', (client) => client.on('error', () => undefined));
  let store: EventStore;
  let postgresStore: PostgresEventStore | undefined;
  if (config.eventStoreUrl) {
    try {
      // Loaded only when used: the EventStoreDB client (gRPC) costs every other start ~150 ms of CPU.
      const { EventStoreDbEventStore } = await import('@chronicle/event-store/eventstoredb');
      store = new EventStoreDbEventStore({ connectionString: config.eventStoreUrl });
    } catch (error) {
      await pool.end();
      throw new ConfigError([`EVENTSTORE_URL: ${(error as Error).message}`]);
    }
  } else {
    // Standalone (no broker): one process writes the log and follows all of it, so its appends are
    // handed to its subscriptions without being read back (≈ 1 read per execution less at 3,000/min).
    // Distributed services follow mostly what others wrote: off there (see handOverOwnAppends).
    postgresStore = new PostgresEventStore({ pool, handOverOwnAppends: !config.kafkaBrokers?.length });
    store = postgresStore;
  }
  // Timed and traced appends; trace context and consumer lag on the bus (see observability/).
  store = instrumentEventStore(store, config.eventStoreUrl ? 'eventstoredb' : 'postgresql');
  const topics = topicNames(config.topicPrefix);
  const rawBus: MessageBus = config.kafkaBrokers?.length
    ? new KafkaMessageBus({
      brokers: [...config.kafkaBrokers], clientId: `chronicle-${process.pid}`, groupPrefix: config.topicPrefix, partitions: config.kafkaPartitions, sessionTimeoutMs: config.kafkaSessionTimeoutMs,
    })
    : new InProcessMessageBus({ maxBacklog: config.busMaxBacklog });
  // Chronicle's own topics always report their lag; a flow's trigger topic (named after its namespace) only where namespace labels are shown.
  const bus = instrumentMessageBus(rawBus, config.kafkaBrokers?.length ? 'kafka' : 'in-process', (topic) => config.metricsNamespaceLabels || topic.startsWith(`${config.topicPrefix}.`));
  const checkpoints = new PostgresCheckpointStore(pool);
  const mode = config.kafkaBrokers?.length ? 'distributed' : 'standalone';
  const kv = new KvStore(pool);
  // The broker's topics and Postgres's schemas are checked side by side (a restart waits for the
  // slower, not the sum); the schemas one after the other, as their migrations share one lock.
  const [, storage] = await Promise.all([
    timed(ms, 'topics', () => bus.ensureTopics(Object.values(topics))),
    timed(ms, 'schemas', async () => {
      await postgresStore?.ensureSchema();
      await checkpoints.ensureSchema();
      const internalStorage = await createInternalStorage(mode, config.dataDir, pool);
      await kv.ensureSchema();
      return internalStorage;
    }),
  ]);
  const secrets = new EnvSecrets(process.env);
  if (secrets.undecodable.length > 0) logger.error({ variables: secrets.undecodable }, 'secrets skipped: their values are not base64');
  logger.info({ bus: config.kafkaBrokers?.length ? 'kafka' : 'in-process', eventStore: config.eventStoreUrl ? 'eventstoredb' : 'postgres', ms }, 'platform ready');
  const platform: Platform = {
    config,
    databaseUrl,
    pool,
    store,
    bus,
    topics,
    clock: systemClock,
    checkpoints,
    flows: new FlowRepository(store, TASK_CATALOG),
    executions: new ExecutionRepository(store),
    storage,
    kv,
    secrets,
    mode,
    async close() {
      // Its subscription to the flow streams (see FlowRepository.cachedHead) before the store.
      await platform.flows.close().catch(() => undefined);
      await bus.close().catch(() => undefined);
      await store.close().catch(() => undefined);
      await pool.end().catch(() => undefined);
    },
  };
  return platform;
}

/** Runs a start-up step, noting how long it took (the "platform ready" line says where a slow start went). */
async function timed<T>(ms: Record<string, number>, step: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await run();
  } finally {
    ms[step] = Math.round(performance.now() - started);
  }
}
