import type { EntityManager } from 'typeorm';

interface Statement {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/**
 * The independent writes of one projected batch as ONE statement: each becomes a
 * data-modifying CTE (`WITH w0 AS (INSERT ...), w1 AS (...) SELECT 1`), so a batch pays one
 * round trip for them instead of one per table (a batch was twelve round trips, the largest
 * share of an execution's queries). Only for writes that neither read nor touch each other's
 * rows: every sub-statement sees the same snapshot. The writers are handed `manager`, which
 * records their statements; `flush` runs them.
 */
export class CombinedWrites {
  private readonly statements: Statement[] = [];
  /** The index of the statement whose rows `flush` answers (see `returning`). */
  private answering: number | undefined;

  /** What the writers call `query` on: records the statement, answers no rows. */
  readonly manager = {
    query: async (sql: string, params: readonly unknown[] = []): Promise<unknown[]> => {
      this.statements.push({ sql, params });
      return [];
    },
  } as unknown as EntityManager;

  /**
   * Like `manager`, for the one statement whose `RETURNING` rows `flush` answers (the log lines
   * stored with the rows, whose ids their live updates carry).
   */
  readonly returning = {
    query: async (sql: string, params: readonly unknown[] = []): Promise<unknown[]> => {
      if (this.answering !== undefined) throw new Error('CombinedWrites: only one statement may answer rows');
      this.answering = this.statements.length;
      this.statements.push({ sql, params });
      return [];
    },
  } as unknown as EntityManager;

  /** Whether a statement recorded through `returning` is among them: `flush` answers its rows. */
  get answers(): boolean {
    return this.answering !== undefined;
  }

  /** Runs the recorded statements as one; answers the `returning` statement's rows (none without one). */
  async flush(manager: EntityManager): Promise<unknown[]> {
    const statements = this.statements.splice(0);
    const answering = this.answering;
    this.answering = undefined;
    if (statements.length === 0) return [];
    if (statements.length === 1) {
      const rows: unknown = await manager.query(statements[0]!.sql, [...statements[0]!.params]);
      return answering === 0 && Array.isArray(rows) ? rows : [];
    }
    const { sql, params } = combined(statements, answering);
    const rows: unknown = await manager.query(sql, params);
    return answering !== undefined && Array.isArray(rows) ? rows : [];
  }
}

/**
 * The statements as CTEs of one, their `$n` placeholders renumbered after the ones before; the
 * statement answers the rows of CTE `answering` when given, else one row.
 */
export function combined(statements: readonly Statement[], answering?: number): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const ctes = statements.map((statement, i) => {
    const offset = params.length;
    params.push(...statement.params);
    return `w${i} AS (${statement.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`)})`;
  });
  return { sql: `WITH ${ctes.join(',\n')}\n${answering === undefined ? 'SELECT 1' : `SELECT * FROM w${answering}`}`, params };
}
