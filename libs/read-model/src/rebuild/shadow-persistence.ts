import type { DataSource } from 'typeorm';
import { quoteIdent, REBUILT_TABLES, SHADOW_BOOKKEEPING, SHADOW_SCHEMA } from './shadow-schema.js';

/*
 * The shadow loads into LOGGED tables: each batch's rows and the shadow's checkpoint commit in one
 * transaction, so a Postgres crash keeps both or neither and the rebuild resumes from the
 * checkpoint, as after a process crash. It loaded UNLOGGED before (no WAL during the replay, one
 * `SET LOGGED` rewrite of each table before the swap): measured alone, that cost Postgres more
 * CPU than writing the WAL as the rows go (0.18-0.32 CPU-s more per 100k events, five pairs of
 * five, fsync on or off: bench/results/2026-12-07-rebuild-5.md), since the rewrite reads and
 * writes every table once more. A shadow an older version left UNLOGGED is made LOGGED here (when
 * it is emptied) or by `makeShadowLogged` (when it is resumed); on a LOGGED table both are no-ops.
 */

const shadowTable = (table: string) => `${quoteIdent(SHADOW_SCHEMA)}.${quoteIdent(table)}`;

/** Empties the shadow's tables (all LOGGED): where a replay from the start begins. */
export async function resetShadowForReplay(shadow: DataSource): Promise<void> {
  const tables = [...REBUILT_TABLES, ...SHADOW_BOOKKEEPING];
  await shadow.query(`TRUNCATE ${tables.map(shadowTable).join(', ')} RESTART IDENTITY`);
  // Rows' tables first, the checkpoint last: a checkpoint is never durable before the rows it describes.
  for (const table of tables) await shadow.query(`ALTER TABLE ${shadowTable(table)} SET LOGGED`);
}

/** Makes the rebuilt tables durable before they are swapped in (a shadow an older version loaded UNLOGGED); else a no-op. */
export async function makeShadowLogged(shadow: DataSource): Promise<void> {
  for (const table of REBUILT_TABLES) await shadow.query(`ALTER TABLE ${shadowTable(table)} SET LOGGED`);
}
