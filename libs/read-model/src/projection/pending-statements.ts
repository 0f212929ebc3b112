import type { EntityManager } from 'typeorm';

interface Statement {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/**
 * Statements recorded by writers (they are handed `manager`, which answers no rows) and sent
 * later: one by one with their parameters (`run`), or all in ONE simple-protocol message with
 * their parameters inlined as literals (`message`), which is how the live projection sends its
 * batch's writes together with COMMIT: one round trip instead of two. pg cannot pipeline an
 * extended-protocol statement (one with parameters) with another; a simple-protocol message may
 * hold several statements, run in order, each seeing the ones before, and the first error skips
 * the rest of the message (COMMIT included).
 */
export class PendingStatements {
  private readonly statements: Statement[] = [];

  /** What the writers call `query` on: records the statement, answers no rows. */
  readonly manager = {
    query: async (sql: string, params: readonly unknown[] = []): Promise<unknown[]> => {
      this.statements.push({ sql, params });
      return [];
    },
  } as unknown as EntityManager;

  /** The index the next recorded statement gets: its result's index in `run`'s and a message's answers. */
  get next(): number {
    return this.statements.length;
  }

  /** Runs the statements in order, each with its parameters; answers each one's rows. */
  async run(manager: Pick<EntityManager, 'query'>): Promise<unknown[][]> {
    const results: unknown[][] = [];
    for (const { sql, params } of this.statements) {
      const rows: unknown = await manager.query(sql, [...params]);
      results.push(Array.isArray(rows) ? rows : []);
    }
    return results;
  }

  /**
   * The statements, then `last` (e.g. `COMMIT`), as one simple-protocol message: each `$n` becomes
   * its parameter as a literal (`quote` is the driver's literal escaping). Undefined when a
   * parameter has no literal form here (see `literal`): the caller sends them with `run` instead.
   */
  message(quote: (text: string) => string, last: string): string | undefined {
    try {
      // Concatenated, not joined: the pieces (each parameter's literal, kilobytes of JSON) are
      // copied once, when the driver encodes the message, not once per step of building it.
      let message = '';
      for (const { sql, params } of this.statements) message += `${inlineParameters(sql, params, quote)};\n`;
      return message + last;
    } catch (error) {
      if (error instanceof NoLiteralError) return undefined;
      throw error;
    }
  }
}

/** A parameter `inlineParameters` cannot write as a literal. */
export class NoLiteralError extends Error {}

/**
 * `sql` with each `$n` replaced by parameter n as a literal, in one pass (a literal's own text is
 * never rescanned). The writers' statements hold no `$` besides their placeholders (CombinedWrites
 * renumbers them the same way). Built by concatenation (`String.replace` would copy every literal
 * into a new flat string, and the message's join again: ≈ 30 KB per execution, a batch's rows).
 */
export function inlineParameters(sql: string, params: readonly unknown[], quote: (text: string) => string): string {
  const placeholder = /\$(\d+)/g;
  let text = '';
  let from = 0;
  for (let match = placeholder.exec(sql); match !== null; match = placeholder.exec(sql)) {
    const index = Number(match[1]) - 1;
    if (index < 0 || index >= params.length) throw new NoLiteralError(`statement parameter $${match[1]} has no value (${params.length} given)`);
    text += sql.slice(from, match.index) + literal(params[index], quote);
    from = placeholder.lastIndex;
  }
  return from === 0 ? sql : text + sql.slice(from);
}

/**
 * A parameter as the driver sends it (text; its type left for Postgres to infer, as an untyped
 * quoted literal's is), quoted.
 */
function literal(value: unknown, quote: (text: string) => string): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'bigint' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return quote(String(value));
  // An array of strings (ids), as the driver sends it: an array literal, every element double-quoted.
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return quote(textArrayLiteral(value as readonly string[]));
  // Other arrays, dates, buffers, objects: the writers pass JSON text; these would need the driver's encoding.
  throw new NoLiteralError(`statement parameter of type ${Array.isArray(value) ? 'array' : typeof value} cannot be inlined as a literal`);
}

/**
 * Strings as a Postgres array literal (`{"a","b\"c"}`), as pg's own `prepareValue` writes one:
 * each element in double quotes, with a backslash and `"` escaped by a backslash (so NULL, commas, braces
 * and spaces are plain text).
 */
export function textArrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}
