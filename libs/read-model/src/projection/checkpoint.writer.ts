import type { EntityManager } from 'typeorm';
import type { PoisonEvent } from './execution-fold.js';

/**
 * Moves the checkpoint forward, never back. Run first in the batch transaction: the row
 * lock it takes serialises projector replicas. Returns false when the stored checkpoint is
 * already at or past `position` (another replica projected these events). Its transaction commits
 * as the server's setting has it; the live projection's advance is beginLiveBatchSql's.
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
 * The live projection's checkpoint advance, as advanceCheckpoint's, and two more things when it moved:
 *
 * - `found`: the position stored before the advance (NULL: no row). A projector that finds it
 *   below the last position it committed itself has lost commits (below), and must not fold onto
 *   these rows: it rolls back and projects again from `found` (see ExecutionProjector).
 * - the batch's transaction commits without waiting for the WAL flush (`synchronous_commit` off
 *   for this transaction only, set in the same statement: no round trip of its own). A Postgres
 *   crash may then lose the last such commits (their WAL still in memory): the rows and their
 *   checkpoint together, while the projector, which keeps its position in memory, carries on
 *   after them. Its next batch finds the checkpoint behind it (`found`), which is how it learns
 *   of the loss; the log stays durable (the event store's appends keep `synchronous_commit` on),
 *   so the lost events are projected again from it. At low rates every execution is its own
 *   batch, and each flush is a write and an fdatasync in the committing backend.
 *
 * `found` is read in the statement's snapshot: a replica's advance committed after it is not
 * seen, but a position this projector committed itself (or read back) before it always is, and
 * the checkpoint never moves back on its own: only a loss (or a reset) puts it below.
 */
const ADVANCE_LIVE_CHECKPOINT_SQL = `WITH found AS (SELECT position FROM projection_checkpoints WHERE name = $1)
     INSERT INTO projection_checkpoints (name, position, updated_at) VALUES ($1, $2::numeric, now())
     ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = EXCLUDED.updated_at
     WHERE projection_checkpoints.position < EXCLUDED.position
     RETURNING (SELECT position::text FROM found) AS found, set_config('synchronous_commit', 'off', true) AS synchronous_commit`;

/** The answer of the live checkpoint advance: no row when it did not move. */
export interface LiveCheckpointAdvance {
  /** The position stored before the advance; null when there was none. */
  readonly found: string | null;
}

/**
 * `BEGIN` and the live checkpoint advance (above) as ONE simple-protocol message (one round trip
 * instead of two): the name and position as literals (`quote` is the driver's literal escaping; a
 * position is digits). Its second result's rows are LiveCheckpointAdvance's: none when it did not move.
 */
export function beginLiveBatchSql(name: string, position: bigint, quote: (literal: string) => string): string {
  const digits = position.toString();
  if (!/^\d+$/.test(digits)) throw new Error(`not a log position: ${digits}`);
  return `BEGIN; ${ADVANCE_LIVE_CHECKPOINT_SQL.replace(/\$1/g, () => quote(name)).replace('$2', () => `'${digits}'`)}`;
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
