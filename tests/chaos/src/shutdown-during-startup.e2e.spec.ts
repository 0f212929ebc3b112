import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@chronicle/dev-infra';
import { createTestDatabase, startService, type ServiceProcess, type TestDatabase } from '@chronicle/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Issue #18: a SIGTERM that comes while a service is still starting stops it cleanly too. The
// handler used to be installed only once start-up was complete, so such a signal killed the
// process outright: a standalone process left its embedded Postgres running (the next start
// then had to find and stop it), and a distributed service died by the signal. Start-up is held
// at a known point deterministically: KAFKA_BROKERS names a port where nothing listens, so the
// process waits for Kafka (CHRONICLE_STARTUP_TIMEOUT_MS) after its Postgres is up.

let db: TestDatabase;
const started: ServiceProcess[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase('earlystop');
});
afterAll(async () => {
  await Promise.all(started.map((s) => s.stop('SIGKILL')));
  for (const dir of dirs) {
    // A Postgres left behind by a failed run must not outlive the test.
    const pid = postgresPid(dir);
    if (pid !== undefined && running(pid)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
  await db?.drop();
});

/** Whether the process runs (a zombie, exited and not reaped yet, does not). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

function postgresPid(dataDir: string): number | undefined {
  const file = join(dataDir, 'postgres', 'postgres.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : undefined;
}

async function nowhere(): Promise<string> {
  return `127.0.0.1:${await freePort()}`;
}

/** SIGTERM, then the exit code (null when the signal killed the process instead of its handler). */
async function terminate(service: ServiceProcess): Promise<{ code: number | null; signal: string | null }> {
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => service.child.once('exit', (code, signal) => resolve({ code, signal })));
  service.child.kill('SIGTERM');
  return exited;
}

describe('a SIGTERM during start-up', () => {
  it('standalone: stops its embedded Postgres and exits 0', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'chronicle-earlystop-'));
    dirs.push(dataDir);
    const service = startService('standalone', 'standalone-early-stop', {
      CHRONICLE_DATA_DIR: dataDir,
      PORT: String(await freePort()),
      KAFKA_BROKERS: await nowhere(),
      CHRONICLE_STARTUP_TIMEOUT_MS: '120000',
      CHRONICLE_PG_FAST: 'true',
    });
    started.push(service);
    // The embedded Postgres is up; start-up now waits for Kafka.
    await service.waitFor(/waiting for Kafka/, 120_000);
    const pid = postgresPid(dataDir);
    expect(pid).toBeDefined();
    expect(running(pid!)).toBe(true);

    const exit = await terminate(service);
    expect(exit, service.output().slice(-2000)).toEqual({ code: 0, signal: null });
    expect(service.output()).toContain('shutting down during start-up');
    expect(service.output()).not.toMatch(/listening on/);
    // Stopped before the process exited (reaped by the system right after).
    await vi.waitFor(() => expect(running(pid!)).toBe(false), { timeout: 30_000 });
    expect(existsSync(join(dataDir, 'postgres', 'postgres.owner'))).toBe(false);
  }, 180_000);

  it('distributed: an executor still waiting for Kafka exits 0 through its handler, not killed by the signal', async () => {
    const service = startService('executor', 'executor-early-stop', {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: await nowhere(),
      CHRONICLE_TOKENS: 'ADMIN=earlystop-test-token-0123456789abcdef',
      CHRONICLE_STARTUP_TIMEOUT_MS: '120000',
      HEALTH_PORT: String(await freePort()),
    });
    started.push(service);
    await service.waitFor(/waiting for Kafka/, 120_000);

    const exit = await terminate(service);
    expect(exit, service.output().slice(-2000)).toEqual({ code: 0, signal: null });
    expect(service.output()).toContain('shutting down during start-up');
    expect(service.output()).not.toMatch(/could not start|executor ready/);
  }, 180_000);
});
