import type { DataSource, EntityManager } from 'typeorm';
import { readCheckpoint } from '../queries/checkpoint.queries.js';
import { markRebuildDone } from './rebuild-state.js';
import { currentSchema, quoteIdent, REBUILT_TABLES, RETIRED_SCHEMA, SHADOW_SCHEMA } from './shadow-schema.js';

/**
 * Puts the shadow tables in place of the live ones, in one transaction:
 * 1. lock `projection_checkpoints`: every live projector (this process's is paused; other
 *    replicas' take the checkpoint row first in each batch) now waits, and readers go on;
 * 2. `finalCatchUp` brings the shadow to the head of the log (a few batches at most);
 * 3. the live tables move to a retired schema and the shadow's take their place (indexes,
 *    constraints and owned sequences move with them); readers blocked meanwhile see the new
 *    tables when the transaction commits;
 * 4. the live checkpoint becomes the shadow's, and its poison records the shadow's;
 * 5. executions purged while the rebuild ran are pruned from the new tables.
 * A crash before the commit changes nothing: the rebuild resumes and swaps again.
 */
export async function swapShadowIn(live: DataSource, shadow: DataSource, name: string, finalCatchUp: () => Promise<void>): Promise<bigint | undefined> {
  const liveSchema = await currentSchema(live);
  const [live_, shadow_, retired] = [liveSchema, SHADOW_SCHEMA, RETIRED_SCHEMA].map(quoteIdent);
  await live.query(`DROP SCHEMA IF EXISTS ${retired} CASCADE`);
  await live.query(`CREATE SCHEMA ${retired}`);
  return live.transaction(async (m) => {
    await m.query(`LOCK TABLE ${live_}.projection_checkpoints IN EXCLUSIVE MODE`);
    const livePosition = await readCheckpoint(m, name);
    await finalCatchUp();
    const shadowPosition = await readCheckpoint(shadow.manager, name);
    for (const table of await existingTables(m, SHADOW_SCHEMA)) {
      await m.query(`ALTER TABLE IF EXISTS ${live_}.${quoteIdent(table)} SET SCHEMA ${retired}`);
      await m.query(`ALTER TABLE ${shadow_}.${quoteIdent(table)} SET SCHEMA ${live_}`);
    }
    const position = max(livePosition, shadowPosition);
    if (position !== undefined) {
      await m.query(
        `INSERT INTO ${live_}.projection_checkpoints (name, position, updated_at) VALUES ($1, $2::numeric, now())
         ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = EXCLUDED.updated_at`,
        [name, position.toString()],
      );
    }
    await m.query(`DELETE FROM ${live_}.projection_errors WHERE projection = $1`, [name]);
    await m.query(`INSERT INTO ${live_}.projection_errors SELECT * FROM ${shadow_}.projection_errors WHERE projection = $1`, [name]);
    await prunePurged(m, live_);
    await markRebuildDone(m, name, position);
    return position;
  });
}

async function existingTables(m: EntityManager, schema: string): Promise<string[]> {
  const rows: { table_name: string }[] = await m.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name = ANY($2::text[])`,
    [schema, [...REBUILT_TABLES]],
  );
  return rows.map((r) => r.table_name);
}

/** Executions purged during the rebuild may have reached the shadow before their purge. */
async function prunePurged(m: EntityManager, schema: string): Promise<void> {
  const [{ ledger }] = await m.query(`SELECT to_regclass($1) IS NOT NULL AS ledger`, [`${schema}.purged_executions`]);
  if (!ledger) return;
  await m.query(`DELETE FROM ${schema}.task_runs WHERE execution_id IN (SELECT id FROM ${schema}.purged_executions)`);
  await m.query(`DELETE FROM ${schema}.executions WHERE id IN (SELECT id FROM ${schema}.purged_executions)`);
  const [{ audit }] = await m.query(`SELECT to_regclass($1) IS NOT NULL AS audit`, [`${schema}.audit_log`]);
  if (audit) await m.query(`DELETE FROM ${schema}.audit_log WHERE execution_id IN (SELECT id FROM ${schema}.purged_executions)`);
}

const max = (a: bigint | undefined, b: bigint | undefined): bigint | undefined => (a === undefined ? b : b === undefined ? a : a > b ? a : b);
