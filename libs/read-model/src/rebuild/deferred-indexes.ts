import type { DataSource } from 'typeorm';
import { currentSchema, quoteIdent, REBUILT_TABLES, SHADOW_SCHEMA } from './shadow-schema.js';

/*
 * A rebuild bulk-loads the shadow tables, and maintaining their nine secondary indexes row by
 * row (a GIN one among them) is most of what a large replay costs: the rate fell from 21.9k
 * events/s at 100k events to 12.4k at 500k as the indexes grew. So the shadow loads without
 * them, and each is built once, with one sort, before the swap: what PostgreSQL's own docs
 * advise for a bulk load. The projection's writes only look rows up by primary key, and unique
 * indexes (ON CONFLICT needs them) are never dropped.
 */

/** Drops the shadow's non-unique indexes on the rebuilt tables; returns how many it dropped. */
export async function dropSecondaryIndexes(shadow: DataSource): Promise<number> {
  const indexes = await secondaryIndexes(shadow, SHADOW_SCHEMA);
  for (const { name } of indexes) await shadow.query(`DROP INDEX IF EXISTS ${quoteIdent(SHADOW_SCHEMA)}.${quoteIdent(name)}`);
  return indexes.length;
}

/**
 * Creates in the shadow every secondary index the live tables have and the shadow lacks, from
 * the live definitions: also after a crash between the drop and the end, whatever was dropped.
 */
export async function restoreSecondaryIndexes(live: DataSource, shadow: DataSource): Promise<number> {
  const liveSchema = await currentSchema(live);
  const present = new Set((await secondaryIndexes(shadow, SHADOW_SCHEMA)).map((i) => i.name));
  const missing = (await secondaryIndexes(live, liveSchema)).filter((i) => !present.has(i.name));
  for (const index of missing) await shadow.query(inSchema(index.definition, index.schemaIdent, quoteIdent(SHADOW_SCHEMA)));
  return missing.length;
}

interface IndexRow {
  readonly name: string;
  readonly definition: string;
  /** The schema as pg_get_indexdef prints it (quoted only when it must be). */
  readonly schemaIdent: string;
}

function secondaryIndexes(dataSource: DataSource, schema: string): Promise<IndexRow[]> {
  return dataSource.query(
    `SELECT c.relname AS name, pg_get_indexdef(x.indexrelid) AS definition, quote_ident(n.nspname) AS "schemaIdent"
       FROM pg_index x
       JOIN pg_class c ON c.oid = x.indexrelid
       JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = $1 AND t.relname = ANY($2::text[]) AND NOT x.indisunique AND NOT x.indisprimary
      ORDER BY c.relname`,
    [schema, [...REBUILT_TABLES]],
  );
}

/** `CREATE INDEX name ON live.table ...` → the same on the shadow's table. */
function inSchema(definition: string, from: string, to: string): string {
  const marker = ` ON ${from}.`;
  const only = ` ON ONLY ${from}.`;
  if (definition.includes(only)) return definition.replace(only, ` ON ONLY ${to}.`);
  if (!definition.includes(marker)) throw new Error(`cannot move index definition to the shadow schema: ${definition}`);
  return definition.replace(marker, ` ON ${to}.`);
}
