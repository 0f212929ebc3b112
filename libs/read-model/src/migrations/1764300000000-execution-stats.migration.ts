import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dashboard's aggregates: executions counted per minute (of their start), flow, current
 * state and duration bin (a log scale, two bins per doubling; -1 while unfinished). The
 * projector keeps them in the transaction that writes the executions, by the difference each
 * batch makes, so the dashboard sums at most one row per minute, flow, state and bin instead
 * of reading every execution. `execution_stats_hourly` holds the same per hour, for ranges of
 * whole hours (a week reads 60 times fewer rows).
 */
export class ExecutionStats1764300000000 implements MigrationInterface {
  name = 'ExecutionStats1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE execution_stats (
        bucket timestamptz NOT NULL,
        namespace text NOT NULL,
        flow_id text NOT NULL,
        state text NOT NULL,
        duration_bin smallint NOT NULL,
        executions integer NOT NULL,
        PRIMARY KEY (bucket, namespace, flow_id, state, duration_bin)
      )`);
    await q.query('CREATE INDEX execution_stats_flow_bucket ON execution_stats (namespace, flow_id, bucket)');
    // Running and queued counts read every bucket of a few states.
    await q.query('CREATE INDEX execution_stats_state ON execution_stats (state)');
    // Executions projected before this migration: counted once here, kept by the projector from now on.
    await q.query(`
      INSERT INTO execution_stats (bucket, namespace, flow_id, state, duration_bin, executions)
      SELECT date_trunc('minute', COALESCE(start_date, (state_history->0->>'date')::timestamptz, updated_at)),
             namespace, flow_id, state,
             CASE WHEN end_date IS NULL OR start_date IS NULL THEN -1
                  ELSE LEAST(63, GREATEST(0, floor(2 * log(2, GREATEST(1, extract(epoch FROM end_date - start_date) * 1000)::numeric))))::smallint END,
             count(*)::int
        FROM executions GROUP BY 1, 2, 3, 4, 5`);
    await q.query('CREATE TABLE execution_stats_hourly (LIKE execution_stats INCLUDING ALL)');
    await q.query(`
      INSERT INTO execution_stats_hourly (bucket, namespace, flow_id, state, duration_bin, executions)
      SELECT date_trunc('hour', bucket), namespace, flow_id, state, duration_bin, sum(executions)::int
        FROM execution_stats GROUP BY 1, 2, 3, 4, 5`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS execution_stats_hourly');
    await q.query('DROP TABLE IF EXISTS execution_stats');
  }
}
