import type { EntityManager } from 'typeorm';
import type { ProjectionStatusView } from './read-model.views.js';

/** The committed position of a projection, or undefined before its first batch. */
export async function readCheckpoint(manager: EntityManager, name: string): Promise<bigint | undefined> {
  const rows: { position: string }[] = await manager.query('SELECT position::text AS position FROM projection_checkpoints WHERE name = $1', [name]);
  return rows.length === 0 ? undefined : BigInt(rows[0].position);
}

/** Every projection's checkpoint and its count of skipped (poison) events, in one query. */
export async function listProjectionCheckpoints(manager: EntityManager): Promise<ProjectionStatusView[]> {
  const rows: { name: string; position: string; updated_at: Date; errors: number }[] = await manager.query(
    `SELECT c.name, c.position::text AS position, c.updated_at,
            (SELECT count(*)::int FROM projection_errors e WHERE e.projection = c.name) AS errors
       FROM projection_checkpoints c ORDER BY c.name`,
  );
  return rows.map((row) => ({ name: row.name, position: row.position, updatedAt: row.updated_at.toISOString(), errors: row.errors }));
}
