import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Barriers through the log pipeline: log.Fetch sends one on the logs topic after the lines it must
 * see; the log projection records it here once it has stored every line before it, and the task
 * reads (and deletes) it before reading the logs. A barrier nobody read is dropped after a day.
 */
export class LogBarriers1764400000000 implements MigrationInterface {
  name = 'LogBarriers1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE TABLE log_barriers (id text PRIMARY KEY, reached_at timestamptz NOT NULL DEFAULT now())');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE log_barriers');
  }
}
