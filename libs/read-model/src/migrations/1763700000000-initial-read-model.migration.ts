import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The read-model schema. Written by hand: `synchronize` is never used. */
export class InitialReadModel1763700000000 implements MigrationInterface {
  name = 'InitialReadModel1763700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE flows (
        namespace text NOT NULL,
        id text NOT NULL,
        revision int NOT NULL,
        source text NOT NULL,
        definition jsonb NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (namespace, id)
      )`);
    await q.query(`
      CREATE TABLE flow_revisions (
        namespace text NOT NULL,
        id text NOT NULL,
        revision int NOT NULL,
        source text NOT NULL,
        definition jsonb NOT NULL,
        deployed_at timestamptz NOT NULL,
        PRIMARY KEY (namespace, id, revision)
      )`);
    await q.query(`
      CREATE TABLE executions (
        id text PRIMARY KEY,
        namespace text NOT NULL,
        flow_id text NOT NULL,
        flow_revision int NOT NULL,
        state text NOT NULL,
        state_history jsonb NOT NULL,
        inputs jsonb NOT NULL,
        outputs jsonb,
        labels jsonb NOT NULL,
        trigger jsonb,
        original_id text NOT NULL,
        parent_id text,
        start_date timestamptz NOT NULL,
        end_date timestamptz,
        error text,
        revision int NOT NULL,
        doc jsonb NOT NULL,
        seq bigserial NOT NULL UNIQUE,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX executions_list_idx ON executions (namespace, flow_id, start_date DESC, seq DESC)`);
    // The list pages by seq: these serve "newest first" with and without a flow filter.
    await q.query(`CREATE INDEX executions_flow_seq_idx ON executions (namespace, flow_id, seq DESC)`);
    await q.query(`CREATE INDEX executions_state_idx ON executions (state)`);
    await q.query(`CREATE INDEX executions_original_id_idx ON executions (original_id)`);
    await q.query(`CREATE INDEX executions_parent_id_idx ON executions (parent_id) WHERE parent_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE task_runs (
        id text PRIMARY KEY,
        execution_id text NOT NULL,
        seq int NOT NULL,
        task_id text NOT NULL,
        parent_task_run_id text,
        value text,
        state text NOT NULL,
        state_history jsonb NOT NULL,
        attempts jsonb NOT NULL,
        outputs jsonb,
        start_date timestamptz,
        end_date timestamptz,
        error text,
        revision int NOT NULL
      )`);
    await q.query(`CREATE INDEX task_runs_execution_idx ON task_runs (execution_id, seq)`);
    await q.query(`
      CREATE TABLE logs (
        id bigserial PRIMARY KEY,
        execution_id text NOT NULL,
        task_run_id text,
        task_id text,
        level text NOT NULL,
        message text NOT NULL,
        "timestamp" timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX logs_execution_idx ON logs (execution_id, id)`);
    await q.query(`
      CREATE TABLE projection_checkpoints (
        name text PRIMARY KEY,
        position numeric(20, 0) NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE projection_errors (
        projection text NOT NULL,
        position numeric(20, 0) NOT NULL,
        stream_id text NOT NULL,
        revision bigint NOT NULL,
        type text NOT NULL,
        error text NOT NULL,
        recorded_at timestamptz NOT NULL,
        PRIMARY KEY (projection, position)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['projection_errors', 'projection_checkpoints', 'logs', 'task_runs', 'executions', 'flow_revisions', 'flows']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
