import pg from 'pg';
import { deadLetterKey, type DeadLetterRef, type RedriveLedger, type RedriveRecord } from '@chronicle/messaging';

/** Redrives recorded in Postgres: one row per redriven dead letter, so it is never redriven twice. */
export class PostgresRedriveLedger implements RedriveLedger {
  private schema?: Promise<void>;

  constructor(private readonly pool: pg.Pool) {}

  async claim(ref: DeadLetterRef, by: string): Promise<boolean> {
    await this.ensureSchema();
    const { rowCount } = await this.pool.query(
      `INSERT INTO dead_letter_redrives (topic, partition, "offset", redriven_at, redriven_by) VALUES ($1, $2, $3, now(), $4) ON CONFLICT DO NOTHING`,
      [ref.topic, ref.partition, ref.offset, by],
    );
    return rowCount === 1;
  }

  async release(ref: DeadLetterRef): Promise<void> {
    await this.ensureSchema();
    await this.pool.query(`DELETE FROM dead_letter_redrives WHERE topic = $1 AND partition = $2 AND "offset" = $3`, [ref.topic, ref.partition, ref.offset]);
  }

  async lookup(refs: readonly DeadLetterRef[]): Promise<Map<string, RedriveRecord>> {
    if (refs.length === 0) return new Map();
    await this.ensureSchema();
    const { rows } = await this.pool.query<{ topic: string; partition: number; offset: string; redriven_at: Date; redriven_by: string }>(
      `SELECT r.topic, r.partition, r."offset", r.redriven_at, r.redriven_by
         FROM dead_letter_redrives r JOIN jsonb_to_recordset($1::jsonb) AS x(topic text, partition int, "offset" text)
           ON r.topic = x.topic AND r.partition = x.partition AND r."offset" = x."offset"`,
      [JSON.stringify(refs.map((r) => ({ topic: r.topic, partition: r.partition, offset: r.offset })))],
    );
    return new Map(rows.map((row) => [deadLetterKey(row), { at: row.redriven_at.toISOString(), by: row.redriven_by }]));
  }

  private ensureSchema(): Promise<void> {
    this.schema ??= this.pool
      .query(
        `CREATE TABLE IF NOT EXISTS dead_letter_redrives (
           topic text NOT NULL, partition int NOT NULL, "offset" text NOT NULL, redriven_at timestamptz NOT NULL, redriven_by text NOT NULL,
           PRIMARY KEY (topic, partition, "offset"))`,
      )
      .then(() => undefined)
      .catch((error: unknown) => {
        this.schema = undefined;
        throw error;
      });
    return this.schema;
  }
}
