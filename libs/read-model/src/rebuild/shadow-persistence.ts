import type { DataSource } from 'typeorm';
import { quoteIdent, REBUILT_TABLES, SHADOW_BOOKKEEPING, SHADOW_SCHEMA } from './shadow-schema.js';

/*
 * The shadow loads UNLOGGED: its rows skip the write-ahead log, which a replay would otherwise
 * write a second time (the rows, then their WAL), and the tables are made LOGGED once, before
 * the swap (one sequential rewrite). A Postgres crash empties unlogged tables: the shadow's own
 * checkpoint is unlogged too and made so first, so a crash empties it with (or before) the rows
 * it describes. A shadow without a checkpoint is then emptied whole and replayed from the start:
 * a clean restart, never a resume on rows that are gone (or on rows a LOGGED table kept).
 */

const shadowTable = (table: string) => `${quoteIdent(SHADOW_SCHEMA)}.${quoteIdent(table)}`;

/** Empties the shadow's tables and makes them unlogged: where a replay from the start begins. */
export async function resetShadowForReplay(shadow: DataSource): Promise<void> {
  const tables = [...SHADOW_BOOKKEEPING, ...REBUILT_TABLES];
  await shadow.query(`TRUNCATE ${tables.map(shadowTable).join(', ')} RESTART IDENTITY`);
  // The checkpoint first (SHADOW_BOOKKEEPING leads): see above. A no-op on a table already unlogged.
  for (const table of tables) await shadow.query(`ALTER TABLE ${shadowTable(table)} SET UNLOGGED`);
}

/** Makes the rebuilt tables durable before they are swapped in; the shadow's bookkeeping stays behind. */
export async function makeShadowLogged(shadow: DataSource): Promise<void> {
  for (const table of REBUILT_TABLES) await shadow.query(`ALTER TABLE ${shadowTable(table)} SET LOGGED`);
}
