import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './free-port.js';
import { createDatabase, runningPostgresUrl, startPostgres } from './postgres-server.js';
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

  it('requires the generated password, kept in a 0600 file beside the cluster, even on 127.0.0.1', async () => {
    const server = await startPostgres({ dataDir: join(dir, 'secured'), port: await freePort(), fast: true });
    try {
      const password = readFileSync(join(dir, 'secured', 'postgres-password'), 'utf8');
      expect(password).toMatch(/^[0-9a-f]{48}$/);
      expect(statSync(join(dir, 'secured', 'postgres-password')).mode & 0o777).toBe(0o600);
      expect(server.adminUrl).toBe(`postgres://postgres:${password}@127.0.0.1:${server.port}/postgres`);
      expect(runningPostgresUrl(join(dir, 'secured'))).toBe(server.adminUrl);
      const anonymous = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${server.port}/postgres` });
      await expect(anonymous.connect()).rejects.toThrow(/password/);
      await anonymous.end().catch(() => undefined);
      const wrong = new pg.Client({ connectionString: `postgres://postgres:guess@127.0.0.1:${server.port}/postgres` });
      await expect(wrong.connect()).rejects.toThrow(/password authentication failed/);
      await wrong.end().catch(() => undefined);
    } finally {
      await server.stop();
    }
  });

  it("stops a server left running by an owner that died, and refuses one whose owner lives", async () => {
    const deadOwner = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => deadOwner.once('exit', resolve));
    const orphan = await startPostgres({ dataDir: join(dir, 'owned'), port: await freePort(), fast: true, owner: deadOwner.pid! });
    const next = await startPostgres({ dataDir: join(dir, 'owned'), port: await freePort(), fast: true, owner: process.pid });
    try {
      expect(isProcessAlive(orphan.pid)).toBe(false);
      const client = new pg.Client({ connectionString: next.adminUrl });
      await client.connect();
      await client.end();
    } finally {
      await next.stop();
    }

    const liveOwner = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    const held = await startPostgres({ dataDir: join(dir, 'held'), port: await freePort(), fast: true, owner: liveOwner.pid! });
    try {
      await expect(startPostgres({ dataDir: join(dir, 'held'), port: await freePort(), fast: true, owner: process.pid })).rejects.toThrow(new RegExp(`used by Chronicle process ${liveOwner.pid}`));
      expect(isProcessAlive(held.pid)).toBe(true);
    } finally {
      liveOwner.kill('SIGKILL');
      await held.stop();
    }
  });
});
