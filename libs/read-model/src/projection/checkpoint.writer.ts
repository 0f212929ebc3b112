import type { EntityManager } from 'typeorm';
import type { PoisonEvent } from './execution-fold.js';

/**
 * Moves the checkpoint forward, never back. Run first in the batch transaction: the row
 * lock it takes serialises projector replicas. Returns false when the stored checkpoint is
 * already at or past `position` (another replica projected these events).
 *
 * The batch commits durably (`synchronous_commit` as the server has it), on purpose: the projector
 * keeps its position in memory and does not re-read its checkpoint after a Postgres restart, so
 * a batch lost by a commit that did not wait for the WAL flush would never be projected again
 * (the live read model would miss it until a rebuild). Making it safe needs the projector to
 * notice the loss (the checkpoint's statement returning the position it found) and resubscribe
 * from the stored checkpoint with its caches dropped: not done yet.
 */
export async function advanceCheckpoint(manager: EntityManager, name: string, position: bigint): Promise<boolean> {
  const rows: unknown[] = await manager.query(ADVANCE_CHECKPOINT_SQL, [name, position.toString()]);
  return rows.length > 0;
}

const ADVANCE_CHECKPOINT_SQL = `INSERT INTO projection_checkpoints (name, position, updated_at) VALUES ($1, $2::numeric, now())
     ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = EXCLUDED.updated_at
     WHERE projection_checkpoints.position < EXCLUDED.position
     RETURNING name`;

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
