import { describe, expect, it } from 'vitest';
import { combined, CombinedWrites } from './combined-writes.js';

describe('CombinedWrites', () => {
  it('makes one statement of several, each a CTE with its placeholders renumbered after the ones before', () => {
    const { sql, params } = combined([
      { sql: 'INSERT INTO a (x) SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(x int)', params: ['[1]'] },
      { sql: 'INSERT INTO b (y, z) VALUES ($1, $2)', params: ['y', 'z'] },
      { sql: 'DELETE FROM c WHERE id = ANY($1::text[])', params: [['k']] },
    ]);
    expect(sql).toBe([
      'WITH w0 AS (INSERT INTO a (x) SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(x int)),',
      'w1 AS (INSERT INTO b (y, z) VALUES ($2, $3)),',
      'w2 AS (DELETE FROM c WHERE id = ANY($4::text[]))',
      'SELECT 1',
    ].join('\n'));
    expect(params).toEqual(['[1]', 'y', 'z', ['k']]);
  });

  it('records what the writers send, runs a single statement as it is, and nothing when none was recorded', async () => {
    const sent: Array<{ sql: string; params: unknown[] }> = [];
    const real = { query: async (sql: string, params: unknown[]) => void sent.push({ sql, params }) } as never;
    const writes = new CombinedWrites();
    await writes.flush(real);
    expect(sent).toEqual([]);
    expect(await writes.manager.query('INSERT INTO a VALUES ($1)', [7])).toEqual([]);
    await writes.flush(real);
    expect(sent).toEqual([{ sql: 'INSERT INTO a VALUES ($1)', params: [7] }]);
  });

  it('answers the rows of the one statement recorded through `returning`, alone or as the CTE the statement selects from', async () => {
    const sent: string[] = [];
    const real = { query: async (sql: string) => (sent.push(sql), [{ id: '1' }]) } as never;
    const writes = new CombinedWrites();
    await writes.manager.query('INSERT INTO a VALUES ($1)', [1]);
    await writes.returning.query('INSERT INTO logs VALUES ($1) RETURNING id', [2]);
    expect(await writes.flush(real)).toEqual([{ id: '1' }]);
    expect(sent).toEqual(['WITH w0 AS (INSERT INTO a VALUES ($1)),\nw1 AS (INSERT INTO logs VALUES ($2) RETURNING id)\nSELECT * FROM w1']);
    await writes.returning.query('INSERT INTO logs VALUES ($1) RETURNING id', [3]);
    expect(await writes.flush(real)).toEqual([{ id: '1' }]);
    // Without a `returning` statement the answer is empty, whatever the database says.
    await writes.manager.query('INSERT INTO a VALUES ($1)', [4]);
    expect(await writes.flush(real)).toEqual([]);
    await writes.returning.query('INSERT INTO logs VALUES ($1) RETURNING id', [5]);
    await expect(writes.returning.query('INSERT INTO logs VALUES ($1) RETURNING id', [6])).rejects.toThrow(/only one statement/);
  });
});
