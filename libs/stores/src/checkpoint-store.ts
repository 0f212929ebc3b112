import pg from 'pg';
import type { CheckpointStore } from '@chronicle/use-cases';
import { ensureSchemaLocked } from './schema-lock.js';

export type { CheckpointStore };

/**
 * Moves a checkpoint forward (never back), committed without waiting for the WAL flush
 * (`synchronous_commit` off for this one statement's transaction, set in the statement itself).
 * A checkpoint is only where a follower of the log (the outbox relay, the flow-trigger listener)
 * resumes at its next start; while it runs it keeps its position in memory. Resuming from an
 * older one is safe (it re-sends, and its consumers are idempotent), so a Postgres crash that
 * loses the last save costs a few re-sent messages, while a flushed save would be one more WAL
 * flush for the log's appends to queue behind under load (issue 19). A flushed save implies the
 * WAL before it, the appends it covers included, is flushed too.
 *
 * Not for the projection's checkpoint: the projector's rows are only right on top of what its
 * checkpoint says was projected, and it does not re-read the checkpoint after a Postgres restart.
 */
export const SAVE_CHECKPOINT_SQL = `INSERT INTO chronicle_checkpoints (name, position)
  SELECT $1::text, $2::numeric FROM (SELECT set_config('synchronous_commit', 'off', true)) AS commit_without_flush
  ON CONFLICT (name) DO UPDATE SET position = GREATEST(chronicle_checkpoints.position, EXCLUDED.position), updated_at = now()`;

export class PostgresCheckpointStore implements CheckpointStore {
  constructor(private readonly pool: pg.Pool) {}

  async ensureSchema(): Promise<void> {
    // Every service creates it at start-up: under a lock, so replicas starting together do not race.
    await ensureSchemaLocked(this.pool, 'chronicle_checkpoints', [
      `CREATE TABLE IF NOT EXISTS chronicle_checkpoints (name text PRIMARY KEY, position numeric(20) NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`,
    ]);
  }

  async load(name: string): Promise<bigint | undefined> {
    const r = await this.pool.query<{ position: string }>('SELECT position FROM chronicle_checkpoints WHERE name = $1', [name]);
    return r.rows[0] ? BigInt(r.rows[0].position) : undefined;
  }

  async save(name: string, position: bigint): Promise<void> {
    await this.pool.query(SAVE_CHECKPOINT_SQL, [name, position.toString()]);
  }
}

export class InMemoryCheckpointStore implements CheckpointStore {
  private readonly positions = new Map<string, bigint>();
  async load(name: string) {
    return this.positions.get(name);
  }
  async save(name: string, position: bigint) {
    const current = this.positions.get(name);
    if (current === undefined || position > current) this.positions.set(name, position);
  }
}
