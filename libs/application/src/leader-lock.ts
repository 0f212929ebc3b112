import pg from 'pg';

/**
 * Single-active leadership through a Postgres session advisory lock. `acquire()` blocks
 * in Postgres (no polling) until this process holds the lock; if the holder dies, its
 * connection closes and the lock passes to the next waiter.
 */
export class LeaderLock {
  private client?: pg.Client;

  constructor(private readonly connectionString: string, private readonly name: string) {}

  async acquire(onLost: (error: Error) => void): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString });
    await client.connect();
    client.on('error', (error) => onLost(error));
    this.client = client;
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [this.name]);
  }

  async release(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
