import type { DataSource } from 'typeorm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../test-support/read-model.harness.js';
import { makeShadowLogged, resetShadowForReplay } from './shadow-persistence.js';
import { dropSchemas, openShadow, quoteIdent, REBUILT_TABLES, SHADOW_BOOKKEEPING, SHADOW_SCHEMA } from './shadow-schema.js';

/** relpersistence of each shadow table: `u` unlogged, `p` logged. */
async function persistence(dataSource: DataSource): Promise<Record<string, string>> {
  const rows: { t: string; p: string }[] = await dataSource.query(
    `SELECT c.relname AS t, c.relpersistence AS p FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = ANY($2::text[]) AND c.relkind = 'r' ORDER BY 1`,
    [SHADOW_SCHEMA, [...REBUILT_TABLES, ...SHADOW_BOOKKEEPING]],
  );
  return Object.fromEntries(rows.map((r) => [r.t, r.p]));
}

const all = (p: string, tables: readonly string[]) => Object.fromEntries([...tables].sort().map((t) => [t, p]));

/* A shadow an older version left half-done was loaded UNLOGGED: the replay and the swap must still end LOGGED. */
describe('shadow persistence', () => {
  let h: Harness;
  let shadow: DataSource;

  beforeEach(async () => {
    h = await startHarness();
    shadow = (await openShadow(h.dataSource, { fresh: true })).dataSource;
  });
  afterEach(async () => {
    await shadow.destroy();
    await dropSchemas(h.dataSource, [SHADOW_SCHEMA]);
    await h.close();
  });

  const setUnloggedAsOlderVersions = async () => {
    for (const table of [...SHADOW_BOOKKEEPING, ...REBUILT_TABLES]) {
      await shadow.query(`ALTER TABLE ${quoteIdent(SHADOW_SCHEMA)}.${quoteIdent(table)} SET UNLOGGED`);
    }
  };

  it('replays into logged tables, and makes logged a shadow an older version left unlogged when it starts over', async () => {
    const tables = [...REBUILT_TABLES, ...SHADOW_BOOKKEEPING];
    expect(await persistence(shadow)).toEqual(all('p', tables));
    await resetShadowForReplay(shadow);
    expect(await persistence(shadow)).toEqual(all('p', tables));
    await setUnloggedAsOlderVersions();
    expect(await persistence(shadow)).toEqual(all('u', tables));
    await resetShadowForReplay(shadow);
    expect(await persistence(shadow)).toEqual(all('p', tables));
  });

  it('makes the rebuilt tables of a resumed unlogged shadow logged before the swap, its bookkeeping left as it is', async () => {
    await setUnloggedAsOlderVersions();
    await makeShadowLogged(shadow);
    expect(await persistence(shadow)).toEqual({ ...all('p', REBUILT_TABLES), ...all('u', SHADOW_BOOKKEEPING) });
  });
});
