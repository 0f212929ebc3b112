import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, isProcessAlive } from '@chronicle/dev-infra';
import { chronicleRepoRoot, testKafkaBrokers, testPostgresAdminUrl } from '@chronicle/testing';

// Clear failures and an embedded Postgres that the standalone process owns: the built apps run
// as child processes, exactly as `npm start` and the service scripts run them.
const dataDirs: string[] = [];
afterAll(() => {
  for (const dir of dataDirs) {
    stopLeftover(dir);
    rmSync(dir, { recursive: true, force: true });
  }
});

function newDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'chronicle-startup-'));
  dataDirs.push(dir);
  return dir;
}

interface Outcome {
  readonly code: number | null;
  readonly stderr: string;
  readonly stdout: string;
}

function run(app: string, env: Record<string, string>): Promise<Outcome> {
  const child = spawn(process.execPath, [join(chronicleRepoRoot, 'apps', app, 'dist', 'main.js')], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

/** The one line a person reads: no stack trace, the setting named. */
function expectOneLine(outcome: Outcome, setting: string): void {
  const lines = outcome.stderr.trim().split('\n');
  expect(lines, outcome.stderr).toHaveLength(1);
  expect(lines[0]).toContain(setting);
  expect(outcome.stderr).not.toMatch(/^\s+at /m);
}

function postmasterPid(dataDir: string): number | undefined {
  const file = join(dataDir, 'postgres', 'pgdata', 'postmaster.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : undefined;
}

function stopLeftover(dataDir: string): void {
  const pid = postmasterPid(dataDir);
  if (pid !== undefined && isProcessAlive(pid)) process.kill(pid, 'SIGINT');
}

const closedUrl = async () => `postgres://postgres:x@127.0.0.1:${await freePort()}/chronicle`;

describe('start-up failures: one line naming the setting, exit code 2 for configuration', () => {
  it('an unknown CHRONICLE_LOG_LEVEL is a configuration error, not a crash inside the logger', async () => {
    const outcome = await run('standalone', { CHRONICLE_LOG_LEVEL: 'loud', DATABASE_URL: await closedUrl() });
    expect(outcome.code).toBe(2);
    expectOneLine(outcome, 'CHRONICLE_LOG_LEVEL');
  });

  it('a DATABASE_URL where nothing listens is named, after the start-up wait, for every service', async () => {
    const outcome = await run('executor', { DATABASE_URL: await closedUrl(), KAFKA_BROKERS: testKafkaBrokers().join(','), CHRONICLE_STARTUP_TIMEOUT_MS: '1000' });
    expect(outcome.code).toBe(1);
    expectOneLine(outcome, 'DATABASE_URL');
  });

  it('a malformed CHRONICLE_TOKENS stops a distributed gateway at once, before it waits for Postgres and Kafka', async () => {
    // Nothing listens at either address: a gateway that waited for them would name DATABASE_URL after a minute.
    const outcome = await run('gateway', { DATABASE_URL: await closedUrl(), KAFKA_BROKERS: `127.0.0.1:${await freePort()}`, CHRONICLE_STARTUP_TIMEOUT_MS: '60000', CHRONICLE_TOKENS: 'ADMIN=short' });
    expect(outcome.code).toBe(2);
    expectOneLine(outcome, 'CHRONICLE_TOKENS');
  });

  it('KAFKA_BROKERS where nothing listens is named', async () => {
    const outcome = await run('scheduler', { DATABASE_URL: testPostgresAdminUrl(), KAFKA_BROKERS: `127.0.0.1:${await freePort()}`, CHRONICLE_STARTUP_TIMEOUT_MS: '1000' });
    expect(outcome.code).toBe(1);
    expectOneLine(outcome, 'KAFKA_BROKERS');
  });

  it('--help prints the usage of the infrastructure scripts instead of crashing', () => {
    for (const script of ['kafka.ts', 'postgres.ts', 'distributed.ts', 'kafka-topics.ts', 'config-doc.ts', 'test.ts']) {
      const result = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=@chronicle/source', join('scripts', script), '--help'], { cwd: chronicleRepoRoot, encoding: 'utf8' });
      expect(result.status, `${script}: ${result.stderr}`).toBe(0);
      expect(result.stdout, script).toMatch(/^usage: /);
    }
    // The plain-node scripts: --help answers before anything is built or started.
    for (const script of ['start.mjs', 'build.mjs']) {
      const result = spawnSync(process.execPath, [join('scripts', script), '--help'], { cwd: chronicleRepoRoot, encoding: 'utf8' });
      expect(result.status, `${script}: ${result.stderr}`).toBe(0);
      expect(result.stdout, script).toMatch(/^usage: /);
      expect(result.stderr, script).not.toMatch(/building/);
    }
    const unknown = spawnSync(process.execPath, [join('scripts', 'start.mjs'), '--no-bulid'], { cwd: chronicleRepoRoot, encoding: 'utf8' });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr.trim()).toBe('chronicle: unknown option "--no-bulid": expected --no-build or --help');
    // Eight scripts, each loading TypeScript through tsx: a minute or more on a busy machine.
  }, 180_000);
});

describe('standalone owns its embedded Postgres', () => {
  it('refuses a malformed CHRONICLE_TOKENS before the embedded Postgres starts', async () => {
    const dataDir = newDataDir();
    const outcome = await run('standalone', { CHRONICLE_DATA_DIR: dataDir, PORT: '0', CHRONICLE_PG_FAST: 'true', CHRONICLE_TOKENS: 'ADMIN=short' });
    expect(outcome.code).toBe(2);
    expectOneLine(outcome, 'CHRONICLE_TOKENS');
    expect(outcome.stdout).not.toContain('embedded Postgres started');
    expect(existsSync(join(dataDir, 'postgres'))).toBe(false);
  });

  it('refuses a malformed EVENTSTORE_URL before the embedded Postgres starts', async () => {
    const dataDir = newDataDir();
    const outcome = await run('standalone', { CHRONICLE_DATA_DIR: dataDir, PORT: '0', CHRONICLE_PG_FAST: 'true', EVENTSTORE_URL: 'not-a-connection-string' });
    expect(outcome.code).toBe(2);
    expectOneLine(outcome, 'EVENTSTORE_URL');
    expect(existsSync(join(dataDir, 'postgres'))).toBe(false);
  });

  it('stops it when the start fails after it started (a Kafka that does not answer)', async () => {
    const dataDir = newDataDir();
    // Reachability is checked once the embedded Postgres runs (it is one of the dependencies waited for).
    const outcome = await run('standalone', { CHRONICLE_DATA_DIR: dataDir, PORT: '0', CHRONICLE_PG_FAST: 'true', KAFKA_BROKERS: `127.0.0.1:${await freePort()}`, CHRONICLE_STARTUP_TIMEOUT_MS: '1000' });
    expect(outcome.code).toBe(1);
    expectOneLine(outcome, 'KAFKA_BROKERS');
    expect(outcome.stdout).toContain('embedded Postgres started');
    const pid = postmasterPid(dataDir);
    expect(pid === undefined || !isProcessAlive(pid)).toBe(true);
  });

  it('after a SIGKILL, the next start stops the orphaned Postgres and starts', async () => {
    const dataDir = newDataDir();
    const env = { CHRONICLE_DATA_DIR: dataDir, PORT: '0', CHRONICLE_PG_FAST: 'true' };
    const first = spawn(process.execPath, [join(chronicleRepoRoot, 'apps', 'standalone', 'dist', 'main.js')], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      first.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (/listening on/.test(out)) resolve();
      });
      first.once('exit', (code) => reject(new Error(`standalone exited (${code}) before listening`)));
    });
    const orphan = postmasterPid(dataDir)!;
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    expect(isProcessAlive(orphan)).toBe(true);

    const second = spawn(process.execPath, [join(chronicleRepoRoot, 'apps', 'standalone', 'dist', 'main.js')], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    second.stdout.on('data', (c: Buffer) => (out += c.toString()));
    second.stderr.on('data', (c: Buffer) => (out += c.toString()));
    await new Promise<void>((resolve, reject) => {
      second.stdout.on('data', () => /listening on/.test(out) && resolve());
      second.once('exit', (code) => reject(new Error(`the second start exited (${code}):\n${out}`)));
    });
    expect(isProcessAlive(orphan)).toBe(false);
    const own = postmasterPid(dataDir)!;
    second.kill('SIGTERM');
    await new Promise((resolve) => second.once('exit', resolve));
    // A graceful stop stops its Postgres too.
    await expect.poll(() => isProcessAlive(own), { timeout: 10_000 }).toBe(false);
  }, 90_000);
});
