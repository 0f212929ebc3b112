import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row per projection rebuild (the latest one): requested by the API, run by a projection
 * service, which keeps its progress here so any gateway can show it and a restarted service
 * can resume it.
 */
export class ProjectionRebuilds1764200000000 implements MigrationInterface {
  name = 'ProjectionRebuilds1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE projection_rebuilds (
        name text PRIMARY KEY,
        state text NOT NULL,
        requested_by text,
        requested_at timestamptz NOT NULL,
        started_at timestamptz,
        updated_at timestamptz NOT NULL,
        finished_at timestamptz,
        runs int NOT NULL DEFAULT 0,
        resumed_from numeric(20, 0),
        position numeric(20, 0),
        head_position numeric(20, 0),
        events_projected bigint NOT NULL DEFAULT 0,
        events_per_second double precision,
        eta_seconds double precision,
        error text
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS projection_rebuilds');
  }
}
