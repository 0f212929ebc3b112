import pg from 'pg';
import { PostgresEventStore, type EventStore } from '@chronicle/event-store';
import { InProcessMessageBus, KafkaMessageBus, topicNames, type MessageBus, type Topics } from '@chronicle/messaging';
import { ConfigError, systemClock, type ChronicleConfig, type Clock, type Logger } from '@chronicle/runtime';
import { PostgresCheckpointStore } from './checkpoint-store.js';
import { ExecutionRepository } from './execution-repository.js';
import { FlowRepository } from './flow-repository.js';

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
  readonly mode: 'standalone' | 'distributed';
  close(): Promise<void>;
}

export async function createPlatform(config: ChronicleConfig, databaseUrl: string, logger: Logger): Promise<Platform> {
  if (config.eventStoreUrl) {
    throw new ConfigError([`EVENTSTORE_URL: the EventStoreDB adapter is not part of this build yet; unset it to use the Postgres event store`]);
  }
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 20 });
  const store = new PostgresEventStore({ pool });
  await store.ensureSchema();
  const topics = topicNames(config.topicPrefix);
  const bus: MessageBus = config.kafkaBrokers?.length
    ? new KafkaMessageBus({ brokers: [...config.kafkaBrokers], clientId: `chronicle-${process.pid}`, partitions: config.kafkaPartitions })
    : new InProcessMessageBus();
  await bus.ensureTopics(Object.values(topics));
  const checkpoints = new PostgresCheckpointStore(pool);
  await checkpoints.ensureSchema();
  logger.info({ bus: config.kafkaBrokers?.length ? 'kafka' : 'in-process', eventStore: 'postgres' }, 'platform ready');
  return {
    config,
    databaseUrl,
    pool,
    store,
    bus,
    topics,
    clock: systemClock,
    checkpoints,
    flows: new FlowRepository(store),
    executions: new ExecutionRepository(store),
    mode: config.kafkaBrokers?.length ? 'distributed' : 'standalone',
    async close() {
      await bus.close().catch(() => undefined);
      await store.close().catch(() => undefined);
      await pool.end().catch(() => undefined);
    },
  };
}
