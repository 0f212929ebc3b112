import pg from 'pg';
import type { CheckpointStore } from '@chronicle/use-cases';
import { ensureSchemaLocked } from './schema-lock.js';

export type { CheckpointStore };

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
    await this.pool.query(
      `INSERT INTO chronicle_checkpoints (name, position) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET position = GREATEST(chronicle_checkpoints.position, EXCLUDED.position), updated_at = now()`,
      [name, position.toString()],
    );
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
