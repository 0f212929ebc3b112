import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who did what, and what retention removed. `audit_log`: one row per projected execution or
 * flow event (its actor from the event metadata), for audits per execution and per namespace.
 * `purged_executions`: the ledger of purged executions; the projection skips their events, so
 * a log that still holds them (EventStoreDB keeps tombstoned events in `$all` until a scavenge)
 * cannot bring them back, and a purge interrupted before its stream deletions can resume.
 */
export class AuditAndRetention1764100000000 implements MigrationInterface {
  name = 'AuditAndRetention1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_log (
        position numeric(20, 0) PRIMARY KEY,
        at timestamptz NOT NULL,
        actor text NOT NULL,
        action text NOT NULL,
        stream_id text NOT NULL,
        revision bigint NOT NULL,
        namespace text,
        flow_id text,
        flow_revision int,
        execution_id text
      )`);
    await q.query(`CREATE INDEX audit_log_execution_idx ON audit_log (execution_id, position) WHERE execution_id IS NOT NULL`);
    await q.query(`CREATE INDEX audit_log_namespace_idx ON audit_log (namespace, position)`);
    await q.query(`
      CREATE TABLE purged_executions (
        id text PRIMARY KEY,
        namespace text NOT NULL,
        flow_id text NOT NULL,
        state text NOT NULL,
        purged_at timestamptz NOT NULL,
        purged_by text,
        stream_deleted boolean NOT NULL DEFAULT false
      )`);
    await q.query(`CREATE INDEX purged_executions_pending_idx ON purged_executions (purged_at) WHERE NOT stream_deleted`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS purged_executions`);
    await q.query(`DROP TABLE IF EXISTS audit_log`);
  }
}
