/**
 * One-shot schema set-up for a deployment (the compose `migrate` service, the Kubernetes
 * `chronicle-migrate` Job): runs the read-model migrations and creates the Postgres event
 * store's and the checkpoints' tables, then exits 0. A bad setting exits 2 naming it; a
 * failed migration exits 1. The services do the same idempotently at start-up; running it
 * first keeps several replicas from racing on an empty database.
 */
import 'reflect-metadata';
import { createPlatform } from '@chronicle/composition';
import { createReadModel } from '@chronicle/read-model';
import { ConfigError, createLogger, loadConfig, type ChronicleConfig } from '@chronicle/runtime';

const logger = createLogger('migrate');

function settings(): ChronicleConfig & { readonly databaseUrl: string } {
  try {
    const config = loadConfig();
    if (!config.databaseUrl) throw new ConfigError(['DATABASE_URL: required by the migrate job']);
    return { ...config, databaseUrl: config.databaseUrl };
  } catch (error) {
    logger.fatal(error instanceof ConfigError ? error.message : error);
    process.exit(2);
  }
}

const config = settings();
try {
  // No bus: the migrate job needs Postgres (and EventStoreDB, when EVENTSTORE_URL names one) only.
  const platform = await createPlatform({ ...config, kafkaBrokers: undefined }, config.databaseUrl, logger);
  await platform.close();
  const readModel = await createReadModel(config.databaseUrl, { migrate: true });
  await readModel.close();
  logger.info({ eventStore: config.eventStoreUrl ? 'eventstoredb' : 'postgres' }, 'migrations applied');
  process.exit(0);
} catch (error) {
  logger.fatal({ err: error }, 'migration failed');
  process.exit(1);
}
