import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExecutionProjector } from '../projection/execution-projector.js';
import { ReadModelQueries } from '../queries/read-model-queries.js';
import { ProjectionRebuildService } from '../rebuild/projection-rebuild.service.js';
import { benchmark01Events, executionStream } from '../test-support/benchmark01.events.js';
import { startHarness, type Harness } from '../test-support/read-model.harness.js';
import { executionDocStorageStatements } from './execution-doc-storage.js';

const quiet = { warn: () => undefined, error: () => undefined };

/** A name long enough that each execution's row passes the 2 KB TOAST threshold. */
const LONG_NAME = 'World '.repeat(50);

interface DocStorage {
  /** `pg_attribute.attstorage` of `doc`: x = extended (compressed, then moved out of the row if still too large). */
  readonly storage: string;
  /** `pg_attribute.attcompression` of `doc`: l = lz4, p = pglz, null = the server's default (`default_toast_compression`). */
  readonly compression: string | null;
  readonly options: string[] | null;
}

describe('executions.doc storage (migration ExecutionDocStorage1764400000000)', () => {
  let h: Harness;
  let live: ExecutionProjector;

  const lz4 = async (): Promise<boolean> => {
    const [row] = await h.dataSource.query(`SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'`);
    return (row?.enumvals as string[] | undefined)?.includes('lz4') ?? false;
  };
  const docStorage = async (): Promise<DocStorage> => {
    const [row] = await h.dataSource.query(
      `SELECT a.attstorage AS storage, nullif(a.attcompression::text, '') AS compression, c.reloptions AS options
         FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'doc'
        WHERE c.oid = 'executions'::regclass`,
    );
    return row as DocStorage;
  };
  /** How each stored doc is compressed (null: not at all), and its length as text. */
  const storedDocs = async (table = 'executions'): Promise<{ compression: string | null; length: number }[]> =>
    h.dataSource.query(`SELECT pg_column_compression(doc) AS compression, octet_length(doc::text) AS length FROM ${table} ORDER BY id`);
  const settle = async () => live.waitForPosition((await h.store.headPosition())!, 30_000);

  beforeEach(async () => {
    h = await startHarness();
    live = new ExecutionProjector(h.dataSource, h.store, h.bus, { topicPrefix: 'test', batchSize: 7, logger: quiet });
    await live.start();
  });
  afterEach(async () => {
    await live.stop();
    await h.close();
  });

  it('compresses doc with lz4 where the server has it, otherwise as Postgres does by default, and a rebuild swap keeps that', async () => {
    const withLz4 = await lz4();
    const expected: DocStorage = { storage: 'x', compression: withLz4 ? 'l' : null, options: null };
    expect(await docStorage()).toEqual(expected);

    for (let i = 0; i < 5; i++) await h.append(executionStream(`doc-${i}`), benchmark01Events(`doc-${i}`, { name: `${LONG_NAME}${i}` }));
    await settle();
    const docs = await storedDocs();
    expect(docs).toHaveLength(5);
    // Rows Postgres compresses (the same rows in a table without the setting: the server's default, pglz unless configured)...
    const [{ compression }] = await h.dataSource.query(`SELECT current_setting('default_toast_compression') AS compression`);
    await h.dataSource.query('CREATE TABLE default_storage (LIKE executions)');
    await h.dataSource.query('INSERT INTO default_storage SELECT * FROM executions');
    // New values: a value compressed already would be kept as it is.
    await h.dataSource.query('UPDATE default_storage SET doc = (doc::text)::jsonb');
    expect((await storedDocs('default_storage')).map((d) => d.compression)).toEqual(docs.map(() => compression));
    await h.dataSource.query('DROP TABLE default_storage');
    // ...are compressed as chosen by the live projector's upserts.
    expect(docs.map((d) => d.compression)).toEqual(docs.map(() => (withLz4 ? 'lz4' : compression)));

    await new ReadModelQueries(h.dataSource).requestProjectionRebuild('executions', 'test');
    expect(await new ProjectionRebuildService(h.dataSource, h.store, live, { logger: quiet, batchSize: 4 }).runPending()).toBe('done');
    // The swapped-in table (made by the same migrations in the shadow, loaded by COPY, made LOGGED) keeps the setting.
    expect(await docStorage()).toEqual(expected);
    expect(await storedDocs()).toEqual(docs);
  });

  it('chooses lz4 only where the server has it and can set a column compression', () => {
    expect(executionDocStorageStatements({ columnCompression: true, lz4: true })).toEqual(['ALTER TABLE executions ALTER COLUMN doc SET COMPRESSION lz4']);
    expect(executionDocStorageStatements({ columnCompression: true, lz4: false })).toEqual([]);
    expect(executionDocStorageStatements({ columnCompression: false, lz4: false })).toEqual([]);
  });
});
