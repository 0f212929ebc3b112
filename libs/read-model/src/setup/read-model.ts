import type { DataSource } from 'typeorm';
import { ReadModelQueries } from '../queries/read-model-queries.js';
import { createReadModelDataSource, runReadModelMigrations, type ReadModelDataSourceOptions } from './read-model-data-source.js';

/** The read model as a service uses it: its DataSource, its queries, and how to close it. */
export interface ReadModel {
  readonly dataSource: DataSource;
  /** Its Postgres URL (a service opens a LISTEN connection of its own on it). */
  readonly url: string;
  readonly queries: ReadModelQueries;
  close(): Promise<void>;
}

/** Connects, and applies pending migrations first when `migrate` is set (safe across replicas). */
export async function createReadModel(url: string, options: ReadModelDataSourceOptions = {}): Promise<ReadModel> {
  const dataSource = await createReadModelDataSource(url, { ...options, migrate: false });
  if (options.migrate) await runReadModelMigrations(dataSource);
  return { dataSource, url, queries: new ReadModelQueries(dataSource), close: () => dataSource.destroy() };
}
