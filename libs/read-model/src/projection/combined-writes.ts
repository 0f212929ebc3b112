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

  /** What the writers call `query` on: records the statement, answers no rows. */
  readonly manager = {
    query: async (sql: string, params: readonly unknown[] = []): Promise<unknown[]> => {
      this.statements.push({ sql, params });
      return [];
    },
  } as unknown as EntityManager;

  async flush(manager: EntityManager): Promise<void> {
    const statements = this.statements.splice(0);
    if (statements.length === 0) return;
    if (statements.length === 1) {
      await manager.query(statements[0]!.sql, [...statements[0]!.params]);
      return;
    }
    const { sql, params } = combined(statements);
    await manager.query(sql, params);
  }
}

/** The statements as CTEs of one, their `$n` placeholders renumbered after the ones before. */
export function combined(statements: readonly Statement[]): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const ctes = statements.map((statement, i) => {
    const offset = params.length;
    params.push(...statement.params);
    return `w${i} AS (${statement.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`)})`;
  });
  return { sql: `WITH ${ctes.join(',\n')}\nSELECT 1`, params };
}
