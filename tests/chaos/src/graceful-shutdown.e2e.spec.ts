import { freePort } from '@chronicle/dev-infra';
import { createTestDatabase, startService, testKafkaBrokers, testPostgresAdminUrl, uniqueTopicPrefix, type ServiceProcess, type TestDatabase } from '@chronicle/testing';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ServiceKind } from './chaos-cluster.js';

// Issue #18: a service stopped with SIGTERM hands over at once what its replicas wait for, its
// leader locks and its consumer group memberships, instead of holding them until a timeout.
// The session timeout here is 60 s: a member still listed right after its process exited can
// only have left without a LeaveGroup. The services run from the build, on the shared test
// Postgres and Kafka, under a topic prefix of their own.

const LEADER_LOCKS = ['chronicle-outbox-relay', 'chronicle-scheduler-timers', 'chronicle-scheduler-task-run-health'];

let db: TestDatabase;
let admin: Admin;
let pool: pg.Pool;
const prefix = uniqueTopicPrefix('shutdown').replace(/-/g, '');
const started: ServiceProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase('shutdown');
  pool = new pg.Pool({ connectionString: testPostgresAdminUrl() });
  admin = new Kafka({ clientId: 'shutdown-test', brokers: testKafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
});
afterAll(async () => {
  await Promise.all(started.map((s) => s.stop('SIGKILL')));
  await admin?.disconnect();
  await pool?.end();
  await db?.drop();
});

async function start(kind: ServiceKind, name: string): Promise<ServiceProcess> {
  const port = await freePort();
  const env: Record<string, string> = {
    DATABASE_URL: db.url,
    KAFKA_BROKERS: testKafkaBrokers().join(','),
    CHRONICLE_TOKENS: 'ADMIN=shutdown-test-token-0123456789abcdef',
    CHRONICLE_TOPIC_PREFIX: prefix,
    CHRONICLE_INSTANCE_ID: name,
    CHRONICLE_KAFKA_SESSION_TIMEOUT_MS: '60000',
    CHRONICLE_LOG_LEVEL: 'warn',
    ...(kind === 'gateway' ? { PORT: String(port) } : { HEALTH_PORT: String(port) }),
  };
  const service = startService(kind, name, env);
  started.push(service);
  await service.waitFor(/chronicle \w+ (ready|listening)/, 120_000);
  return service;
}

/** Backend pid of the session holding each leader lock now. */
async function lockHolders(): Promise<Record<string, number | undefined>> {
  const { rows } = await pool.query<{ name: string; pid: number }>(
    `SELECT n.name, l.pid FROM unnest($1::text[]) AS n(name)
       JOIN pg_locks l ON l.locktype = 'advisory' AND l.granted AND l.objid = (hashtext(n.name)::bigint & 4294967295)::oid
       JOIN pg_stat_activity a ON a.pid = l.pid AND a.datname = $2`,
    [LEADER_LOCKS, db.name],
  );
  return Object.fromEntries(LEADER_LOCKS.map((name) => [name, rows.find((r) => r.name === name)?.pid]));
}

/** clientIds of the members of every consumer group of this installation. */
async function groupMembers(): Promise<Map<string, string[]>> {
  const { groups } = await admin.listGroups();
  const ours = groups.map((g) => g.groupId).filter((id) => id.startsWith(`${prefix}.`));
  const described = ours.length ? (await admin.describeGroups(ours)).groups : [];
  return new Map(described.map((g) => [g.groupId, g.members.map((m) => m.clientId)]));
}

describe('graceful shutdown (SIGTERM)', () => {
  it('hands the leader locks to a replica and leaves every consumer group before the process exits', async () => {
    // The projection migrates the read model first; the "a" replicas start before the "b" ones, so they lead.
    const projection = await start('projection', 'projection');
    const a = { executor: await start('executor', 'executor-a'), scheduler: await start('scheduler', 'scheduler-a'), gateway: await start('gateway', 'gateway-a') };
    await vi.waitFor(async () => expect(Object.values(await lockHolders()).every((pid) => pid !== undefined)).toBe(true), { timeout: 30_000 });
    const before = await lockHolders();
    await Promise.all([start('executor', 'executor-b'), start('scheduler', 'scheduler-b')]);
    const stoppedClients = [...Object.values(a), projection].map((s) => `chronicle-${s.child.pid}`);
    await vi.waitFor(async () => expect([...(await groupMembers()).values()].flat()).toEqual(expect.arrayContaining(stoppedClients)), { timeout: 60_000 });

    const exits = await Promise.all([...Object.values(a), projection].map(async (service) => {
      const t0 = Date.now();
      const exited = new Promise<number | null>((resolve) => service.child.once('exit', (code) => resolve(code)));
      service.child.kill('SIGTERM');
      const code = await exited;
      return { name: service.name, code, ms: Date.now() - t0 };
    }));
    console.log(`shutdown on SIGTERM: ${exits.map((e) => `${e.name} ${e.ms} ms (exit ${e.code})`).join(', ')}`);
    // A clean stop, not the shutdown deadline cutting it short (that exits with 1).
    expect(exits.map((e) => [e.name, e.code])).toEqual(exits.map((e) => [e.name, 0]));

    // Right after the exits, with a 60 s session timeout: no group lists a stopped process.
    const members = await groupMembers();
    const left = [...members].flatMap(([group, clients]) => clients.filter((c) => stoppedClients.includes(c)).map((c) => `${group}: ${c}`));
    expect(left).toEqual([]);
    // The replicas took every lock over from the stopped leaders' sessions.
    await vi.waitFor(async () => {
      const after = await lockHolders();
      for (const name of LEADER_LOCKS) {
        expect(after[name], name).toBeDefined();
        expect(after[name], name).not.toBe(before[name]);
      }
    }, { timeout: 30_000 });
  }, 300_000);
});
