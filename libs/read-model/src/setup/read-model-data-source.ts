import { DataSource, type DataSourceOptions, type Logger as TypeOrmLogger } from 'typeorm';
import { READ_MODEL_ENTITIES } from '../entities/index.js';
import { READ_MODEL_MIGRATIONS } from '../migrations/index.js';

export const READ_MODEL_MIGRATIONS_TABLE = 'read_model_migrations';

export interface ReadModelDataSourceOptions {
  /** Apply pending migrations while initialising (default false: call `runReadModelMigrations`). */
  readonly migrate?: boolean;
  /** Largest number of pooled connections (default 10). */
  readonly poolSize?: number;
  /** Shown in pg_stat_activity. */
  readonly applicationName?: string;
  /** A TypeORM logger, e.g. to count queries in tests. */
  readonly logger?: TypeOrmLogger;
}

/** Plain options, for callers that build the DataSource themselves (e.g. `TypeOrmModule.forRoot`). */
export function readModelDataSourceOptions(url: string, options: ReadModelDataSourceOptions = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: READ_MODEL_ENTITIES,
    migrations: READ_MODEL_MIGRATIONS,
    migrationsTableName: READ_MODEL_MIGRATIONS_TABLE,
    migrationsRun: options.migrate ?? false,
    // Each migration in its own transaction, so a failed one leaves the earlier ones applied.
    migrationsTransactionMode: 'each',
    synchronize: false,
    poolSize: options.poolSize ?? 10,
    applicationName: options.applicationName ?? 'chronicle-read-model',
    ...(options.logger ? { logger: options.logger, logging: true } : { logging: false }),
  };
}

/** An initialised DataSource over the read-model schema. */
export async function createReadModelDataSource(url: string, options: ReadModelDataSourceOptions = {}): Promise<DataSource> {
  const dataSource = new DataSource(readModelDataSourceOptions(url, options));
  await dataSource.initialize();
  return dataSource;
}

/** Applies pending read-model migrations; returns the names of those applied. */
export async function runReadModelMigrations(dataSource: DataSource): Promise<string[]> {
  // Replicas may start together: a session advisory lock lets one of them migrate at a time.
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.release();
  }
}

/** Arbitrary constant identifying the read-model migration lock. */
const MIGRATION_LOCK_KEY = 7_236_401_118;
