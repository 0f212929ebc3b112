import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Flow life cycle (disabled, deleted) and indexes for the execution filters of the API. */
export class FlowStatusAndFilters1763800000000 implements MigrationInterface {
  name = 'FlowStatusAndFilters1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE flows ADD COLUMN disabled boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE flows ADD COLUMN deleted boolean NOT NULL DEFAULT false`);
    // `labels @> {...}` (containment) filters; jsonb_path_ops is the small, containment-only GIN.
    await q.query(`CREATE INDEX executions_labels_idx ON executions USING gin (labels jsonb_path_ops)`);
    // Newest-first pages of one namespace (any flow) and of the whole table.
    await q.query(`CREATE INDEX executions_namespace_seq_idx ON executions (namespace, seq DESC)`);
    await q.query(`CREATE INDEX executions_start_date_idx ON executions (start_date)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS executions_start_date_idx`);
    await q.query(`DROP INDEX IF EXISTS executions_namespace_seq_idx`);
    await q.query(`DROP INDEX IF EXISTS executions_labels_idx`);
    await q.query(`ALTER TABLE flows DROP COLUMN IF EXISTS deleted`);
    await q.query(`ALTER TABLE flows DROP COLUMN IF EXISTS disabled`);
  }
}
