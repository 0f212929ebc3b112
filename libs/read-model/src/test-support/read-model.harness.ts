import { type EventData } from '@chronicle/event-store';
import { PostgresEventStore } from '@chronicle/event-store/postgres';
import { InProcessMessageBus, topicNames, type ReceivedMessage } from '@chronicle/messaging';
import { createTestDatabase, type TestDatabase } from '@chronicle/testing';
import type { DataSource, Logger as TypeOrmLogger } from 'typeorm';
import { parseUpdate, type ReadModelUpdate } from '@chronicle/contracts';
import type { ProjectionLogger } from '../projection/projection-logger.js';
import { createReadModelDataSource, runReadModelMigrations } from '../setup/read-model-data-source.js';

export const TOPICS = topicNames('test');

/** Counts the SQL statements TypeORM sends, by the text they contain. */
export class QueryCounter implements TypeOrmLogger {
  readonly queries: string[] = [];
  logQuery(query: string): void {
    this.queries.push(query);
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
  reset(): void {
    this.queries.length = 0;
  }
  count(fragment: string): number {
    return this.queries.filter((q) => q.includes(fragment)).length;
  }
}

export type RecordingLogger = ProjectionLogger & { readonly warnings: string[]; readonly errors: string[] };

export function recordingLogger(): RecordingLogger {
  const warnings: string[] = [];
  const errors: string[] = [];
  return { warnings, errors, warn: (_details, message) => warnings.push(message), error: (_details, message) => errors.push(message) };
}

/** A real database holding both the Postgres event store and the read model, and an in-process bus. */
export interface Harness {
  readonly db: TestDatabase;
  readonly dataSource: DataSource;
  readonly store: PostgresEventStore;
  readonly bus: InProcessMessageBus;
  readonly counter: QueryCounter;
  /** Every update published so far, in order of arrival. */
  readonly updates: ReceivedMessage<ReadModelUpdate>[];
  append(streamId: string, events: readonly EventData[]): Promise<bigint>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const db = await createTestDatabase('read_model');
  const counter = new QueryCounter();
  const dataSource = await createReadModelDataSource(db.url, { logger: counter, poolSize: 5 });
  await runReadModelMigrations(dataSource);
  const store = new PostgresEventStore({ connectionString: db.url, poolSize: 3 });
  await store.ensureSchema();
  const bus = new InProcessMessageBus({ partitions: 2 });
  await bus.ensureTopics([TOPICS.updates, TOPICS.logs]);
  const updates: ReceivedMessage<ReadModelUpdate>[] = [];
  // As a gateway sees them: through the updates contract (which checks them and drops the schemaVersion).
  await bus.consumeBatch<unknown>({ topic: TOPICS.updates, groupId: 'test-observer' }, async (messages) => {
    updates.push(...messages.map((m) => ({ ...m, value: parseUpdate(m.value) })));
  });
  return {
    db, dataSource, store, bus, counter, updates,
    async append(streamId, events) {
      const revision = await store.streamRevision(streamId);
      return (await store.append(streamId, events, revision ?? 'no_stream')).position;
    },
    async close() {
      await bus.close();
      await store.close();
      await dataSource.destroy();
      await db.drop();
    },
  };
}

/** Polls `check` until it holds; for effects that arrive through the bus. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
