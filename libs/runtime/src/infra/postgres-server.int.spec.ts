import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './free-port.js';
import { createDatabase, startPostgres } from './postgres-server.js';
import { isProcessAlive } from './process.js';

describe('embedded Postgres server', () => {
  // mkdtemp makes a 0700 directory, as a user's CHRONICLE_DATA_DIR may be.
  const dir = mkdtempSync(join(tmpdir(), 'chronicle-pg-spec-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts in a private directory, creates a database, restarts on the same data and stops by PID', async () => {
    const port = await freePort();
    const first = await startPostgres({ dataDir: join(dir, 'postgres'), port, fast: true });
    await createDatabase(first.adminUrl, 'spec_db');
    const client = new pg.Client({ connectionString: first.urlFor('spec_db') });
    await client.connect();
    await client.query('CREATE TABLE kept (v int)');
    await client.query('INSERT INTO kept VALUES (42)');
    await client.end();
    await first.stop();
    expect(isProcessAlive(first.pid)).toBe(false);

    const second = await startPostgres({ dataDir: join(dir, 'postgres'), port, fast: true });
    try {
      const again = new pg.Client({ connectionString: second.urlFor('spec_db') });
      await again.connect();
      expect((await again.query('SELECT v FROM kept')).rows).toEqual([{ v: 42 }]);
      await again.end();
    } finally {
      await second.stop();
    }
    expect(isProcessAlive(second.pid)).toBe(false);
  });

  it('refuses to start a second server on a data dir that is in use', async () => {
    const server = await startPostgres({ dataDir: join(dir, 'busy'), port: await freePort(), fast: true });
    try {
      await expect(startPostgres({ dataDir: join(dir, 'busy'), port: await freePort(), fast: true })).rejects.toThrow(/already running/);
    } finally {
      await server.stop();
    }
  });
});
