import { DeadLetterStore, InProcessDeadLetterSource, InProcessMessageBus, KafkaDeadLetterSource } from '@chronicle/messaging';
import { PostgresRedriveLedger } from '@chronicle/stores';
import type { Platform } from './platform.js';

/** The dead letters of the platform's bus (Kafka or in-process), redrives recorded in its Postgres. */
export function createDeadLetterStore(platform: Pick<Platform, 'bus' | 'pool' | 'config'>): DeadLetterStore {
  const source = platform.bus instanceof InProcessMessageBus
    ? new InProcessDeadLetterSource(platform.bus)
    : new KafkaDeadLetterSource({ brokers: [...(platform.config.kafkaBrokers ?? [])], clientId: `chronicle-dlq-${process.pid}` });
  return new DeadLetterStore(source, new PostgresRedriveLedger(platform.pool));
}
