import type { EntityManager } from 'typeorm';

/** The committed position of a projection, or undefined before its first batch. */
export async function readCheckpoint(manager: EntityManager, name: string): Promise<bigint | undefined> {
  const rows: { position: string }[] = await manager.query('SELECT position::text AS position FROM projection_checkpoints WHERE name = $1', [name]);
  return rows.length === 0 ? undefined : BigInt(rows[0].position);
}
