import pg from 'pg';
import { ensureSchemaLocked } from './schema-lock.js';

/** Where a subscriber remembers the last log position it fully handled. */
export interface CheckpointStore {
  load(name: string): Promise<bigint | undefined>;
  save(name: string, position: bigint): Promise<void>;
  /** Writes what a deferring store kept (see ThrottledCheckpointStore); called when a subscriber stops. */
  flush?(): Promise<void>;
}

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

/**
 * Saves at most one checkpoint per name every `intervalMs`: the first save of a quiet period is
 * written at once (its error reaches the caller, which handles its batch again), later ones are
 * kept and written by a timer, and `flush` writes what is kept (call it when stopping). A
 * subscriber that re-sends after a crash (the outbox relay, the flow-trigger listener: their
 * consumers are idempotent) then re-sends at most `intervalMs` of work, and a busy one no
 * longer writes a row per batch (2-3 writes per execution before).
 */
export class ThrottledCheckpointStore implements CheckpointStore {
  private readonly lastWrite = new Map<string, number>();
  private readonly pending = new Map<string, bigint>();
  private timer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly inner: CheckpointStore,
    private readonly intervalMs = 250,
    private readonly onError: (error: unknown) => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  load(name: string): Promise<bigint | undefined> {
    return this.inner.load(name);
  }

  async save(name: string, position: bigint): Promise<void> {
    const last = this.lastWrite.get(name);
    if (last === undefined || this.now() - last >= this.intervalMs) {
      this.pending.delete(name);
      await this.inner.save(name, position);
      this.lastWrite.set(name, this.now());
      return;
    }
    const kept = this.pending.get(name);
    if (kept === undefined || position > kept) this.pending.set(name, position);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush().catch(this.onError);
    }, this.intervalMs);
    this.timer.unref?.();
  }

  /** Writes every kept checkpoint now. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const kept = [...this.pending];
    this.pending.clear();
    for (const [name, position] of kept) {
      try {
        await this.inner.save(name, position);
        this.lastWrite.set(name, this.now());
      } catch (error) {
        // Kept for the next flush (unless a newer position arrived meanwhile).
        if (!this.pending.has(name)) this.pending.set(name, position);
        throw error;
      }
    }
  }
}
