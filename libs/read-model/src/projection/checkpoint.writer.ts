import type { EntityManager } from 'typeorm';
import type { PoisonEvent } from './execution-fold.js';

/**
 * Moves the checkpoint forward, never back. Run first in the batch transaction: the row
 * lock it takes serialises projector replicas. Returns false when the stored checkpoint is
 * already at or past `position` (another replica projected these events).
 *
 * A transaction that moved it commits without waiting for the WAL to reach the disk
 * (`synchronous_commit` off for this transaction only, set in the same statement: no round trip
 * of its own). The read model is derived from the log, and the checkpoint commits with the rows:
 * a Postgres crash that loses the last such commits loses their checkpoint with them, and the
 * projection projects those events again from the log (which stays durable: the event store's
 * appends keep `synchronous_commit` on). Each batch saves a WAL flush (a write and an fdatasync
 * in the committing backend); at low rates every execution is its own batch.
 */
export async function advanceCheckpoint(manager: EntityManager, name: string, position: bigint): Promise<boolean> {
  const rows: unknown[] = await manager.query(ADVANCE_CHECKPOINT_SQL, [name, position.toString()]);
  return rows.length > 0;
}

const ADVANCE_CHECKPOINT_SQL = `INSERT INTO projection_checkpoints (name, position, updated_at) VALUES ($1, $2::numeric, now())
     ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = EXCLUDED.updated_at
     WHERE projection_checkpoints.position < EXCLUDED.position
     RETURNING name, set_config('synchronous_commit', 'off', true) AS synchronous_commit`;

/**
 * `BEGIN` and advanceCheckpoint's statement as ONE simple-protocol message (one round trip instead
 * of two): the name and position as literals (`quote` is the driver's literal escaping; a position
 * is digits). Its second result's rows say whether the checkpoint moved, as advanceCheckpoint does.
 */
export function beginAndAdvanceCheckpointSql(name: string, position: bigint, quote: (literal: string) => string): string {
  const digits = position.toString();
  if (!/^\d+$/.test(digits)) throw new Error(`not a log position: ${digits}`);
  return `BEGIN; ${ADVANCE_CHECKPOINT_SQL.replace('$1', () => quote(name)).replace('$2', () => `'${digits}'`)}`;
}

export async function recordPoisonEvents(manager: EntityManager, projection: string, poison: readonly PoisonEvent[]): Promise<void> {
  if (poison.length === 0) return;
  const rows = poison.map(({ event, error }) => ({
    position: event.position.toString(),
    stream_id: event.streamId,
    revision: event.revision.toString(),
    type: event.type,
    error,
  }));
  await manager.query(
    `INSERT INTO projection_errors (projection, position, stream_id, revision, type, error, recorded_at)
     SELECT $1, x.position, x.stream_id, x.revision, x.type, x.error, now()
       FROM jsonb_to_recordset($2::jsonb) AS x(position numeric, stream_id text, revision bigint, type text, error text)
     ON CONFLICT (projection, position) DO NOTHING`,
    [projection, JSON.stringify(rows)],
  );
}
