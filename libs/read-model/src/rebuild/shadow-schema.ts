import { DataSource, type DataSourceOptions } from 'typeorm';
import { readModelDataSourceOptions, runReadModelMigrations } from '../setup/read-model-data-source.js';

/** Where a rebuild projects the log while the live tables keep serving. */
export const SHADOW_SCHEMA = 'read_model_shadow';
/** Where the replaced live tables go during the swap, dropped right after. */
export const RETIRED_SCHEMA = 'read_model_retired';

/**
 * The tables the execution projection derives from the log: a rebuild replaces exactly these.
 * Everything else (logs from the bus, the purge ledger, rebuild state...) stays where it is.
 */
export const REBUILT_TABLES = ['executions', 'task_runs', 'flows', 'flow_revisions', 'audit_log', 'execution_stats', 'execution_stats_hourly'] as const;
/** The shadow's own checkpoint and poison records, so a rebuild resumes after a crash. */
export const SHADOW_BOOKKEEPING = ['projection_checkpoints', 'projection_errors'] as const;

export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** The schema unqualified names resolve to for this data source (usually `public`). */
export async function currentSchema(dataSource: DataSource): Promise<string> {
  const [row] = (await dataSource.query('SELECT current_schema() AS schema')) as { schema: string }[];
  return row!.schema;
}

export interface ShadowDataSource {
  readonly dataSource: DataSource;
  /** True when the shadow existed with every migration applied: a rebuild resumes into it. */
  readonly resumed: boolean;
}

/**
 * A DataSource whose unqualified names resolve to the shadow schema first, then to the live
 * one. The shadow holds the same tables as the live schema, made by the same migrations, minus
 * those a rebuild does not replace: the projection's queries then find the live purge ledger
 * (and anything else it reads but does not build) through the search path.
 */
export async function openShadow(live: DataSource, options: { fresh: boolean; poolSize?: number }): Promise<ShadowDataSource> {
  const liveSchema = await currentSchema(live);
  if (options.fresh) await dropSchemas(live, [SHADOW_SCHEMA]);
  const existed = (await live.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [SHADOW_SCHEMA])).length > 0;
  await live.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(SHADOW_SCHEMA)}`);
  const url = (live.options as { url?: string }).url;
  if (!url) throw new Error('the read model DataSource has no url: a rebuild opens its own connections with it');
  const base = readModelDataSourceOptions(url, { poolSize: options.poolSize ?? 4, applicationName: 'chronicle-rebuild' });
  const dataSource = new DataSource({
    ...base,
    schema: SHADOW_SCHEMA,
    extra: { options: `-c search_path=${SHADOW_SCHEMA},${liveSchema}` },
  } as DataSourceOptions);
  await dataSource.initialize();
  try {
    const applied = await runReadModelMigrations(dataSource);
    if (existed && applied.length > 0) {
      // The code changed under a half-done rebuild: its rows may not fit the new schema.
      await dataSource.destroy();
      return openShadow(live, { ...options, fresh: true });
    }
    await pruneShadow(dataSource);
    return { dataSource, resumed: existed };
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
}

/** Drops every shadow table that is neither rebuilt nor the shadow's own bookkeeping. */
async function pruneShadow(shadow: DataSource): Promise<void> {
  const keep = new Set<string>([...REBUILT_TABLES, ...SHADOW_BOOKKEEPING, 'read_model_migrations']);
  const rows: { table_name: string }[] = await shadow.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'`,
    [SHADOW_SCHEMA],
  );
  for (const { table_name } of rows) {
    if (!keep.has(table_name)) await shadow.query(`DROP TABLE ${quoteIdent(SHADOW_SCHEMA)}.${quoteIdent(table_name)} CASCADE`);
  }
}

export async function dropSchemas(dataSource: DataSource, schemas: readonly string[]): Promise<void> {
  for (const schema of schemas) await dataSource.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
}
