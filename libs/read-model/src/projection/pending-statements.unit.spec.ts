import { escapeLiteral } from 'pg';
import { describe, expect, it } from 'vitest';
import { inlineParameters, PendingStatements } from './pending-statements.js';

/** The driver's literal escaping, as the projector passes it (a backslash makes an E'' literal). */
const quote = escapeLiteral;

describe('PendingStatements', () => {
  it('inlines each placeholder once, as a quoted literal, never rescanning what it inserted', () => {
    expect(inlineParameters('INSERT INTO t SELECT * FROM jsonb_to_recordset($1::jsonb) WHERE a = $2 AND b = $10', ['[{"m":"it\'s $2"}]', 'x', null, 4, 5, 6, 7, 8, 9, 10n], quote)).toBe(
      `INSERT INTO t SELECT * FROM jsonb_to_recordset('[{"m":"it''s $2"}]'::jsonb) WHERE a = 'x' AND b = '10'`,
    );
    expect(inlineParameters('SELECT $1, $2', [true, undefined], quote)).toBe(`SELECT 'true', NULL`);
  });

  it('sends what was recorded as one message ending with the given statement, or one by one with the parameters', async () => {
    const pending = new PendingStatements();
    expect(pending.next).toBe(0);
    expect(await pending.manager.query('INSERT INTO a VALUES ($1)', ['x'])).toEqual([]);
    expect(pending.next).toBe(1);
    await pending.manager.query('DELETE FROM b WHERE id = $1', ['y\\z']);
    expect(pending.message(quote, 'COMMIT')).toBe(`INSERT INTO a VALUES ('x');\nDELETE FROM b WHERE id =  E'y\\\\z';\nCOMMIT`);
    const sent: unknown[] = [];
    const answers = await pending.run({ query: async (sql: string, params: unknown[]) => (sent.push([sql, params]), sql.startsWith('INSERT') ? [{ id: 1 }] : undefined) } as never);
    expect(sent).toEqual([['INSERT INTO a VALUES ($1)', ['x']], ['DELETE FROM b WHERE id = $1', ['y\\z']]]);
    expect(answers).toEqual([[{ id: 1 }], []]);
  });

  it('has no message when a parameter has no literal form here, so that the caller sends the statements with their parameters', async () => {
    const pending = new PendingStatements();
    await pending.manager.query('SELECT $1::int[]', [[1]]);
    expect(pending.message(quote, 'COMMIT')).toBeUndefined();
  });
});
