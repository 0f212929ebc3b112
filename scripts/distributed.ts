/**
 * Distributed mode on one machine: Postgres and Kafka from the project's helpers (unless
 * DATABASE_URL / KAFKA_BROKERS name running ones), then projection, N executors, scheduler
 * and gateway as separate OS processes (from the build: `npm run start:distributed` builds first).
 *   tsx scripts/distributed.ts [--executors 2] [--port 8080] [--data-dir $CHRONICLE_DATA_DIR or .chronicle]
 * The data folder is standalone's: the ADMIN token is the same file (`<data>/admin-token`, generated
 * on the first run unless CHRONICLE_TOKENS is set), so the CLI finds it in both modes; this mode's
 * own Postgres and Kafka live in `<data>/distributed/`.
 * Ctrl-C (or SIGTERM) stops every process it started, by PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { localAdminToken } from '@chronicle/runtime';
import { createDatabase, freePort, startKafka, startPostgres } from '@chronicle/dev-infra';

const USAGE = `usage: npm run start:distributed -- [--executors N] [--port N] [--data-dir DIR] [--fast]
  Starts Postgres and Kafka (unless DATABASE_URL and KAFKA_BROKERS name running ones), then the
  projection, N executors, the scheduler and the gateway as separate processes. Ctrl-C stops them all.
  --executors N   executor replicas (default 2)
  --port N        the gateway's HTTP port (default $PORT or 8080)
  --data-dir DIR  the data folder shared with standalone: the ADMIN token, and this mode's own Postgres
                  and Kafka in DIR/distributed (default $CHRONICLE_DATA_DIR or .chronicle)
  --fast          Postgres without fsync (throwaway data)
  Kafka sessions last CHRONICLE_KAFKA_SESSION_TIMEOUT_MS (default 6000): how long a killed replica's
  partitions wait before moving to the others.`;

let parsed;
try {
  parsed = parseArgs({ options: { executors: { type: 'string', default: '2' }, port: { type: 'string', default: process.env.PORT ?? '8080' }, 'data-dir': { type: 'string', default: process.env.CHRONICLE_DATA_DIR ?? '.chronicle' }, fast: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } } });
} catch (error) {
  console.error(`distributed.ts: ${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
const { values } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const dataDir = resolve(values['data-dir']!);
const serversDir = join(dataDir, 'distributed');
if (!(await portFree(Number(values.port)))) {
  console.error(`chronicle: port ${values.port} is in use: pass --port <another port> (or set PORT), or stop what listens there.`);
  process.exit(1);
}
const stops: Array<() => Promise<void>> = [];
const children: ChildProcess[] = [];

let databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  const pg = await startPostgres({ dataDir: join(serversDir, 'postgres'), port: await freePort(), fast: values.fast });
  await createDatabase(pg.adminUrl, 'chronicle');
  databaseUrl = pg.localUrlFor('chronicle'); // the Unix socket: all services run on this machine
  stops.push(() => pg.stop());
  console.log(`postgres: ${databaseUrl} (pid ${pg.pid})`);
}
let brokers = process.env.KAFKA_BROKERS;
if (!brokers) {
  const kafka = await startKafka({ dataDir: join(serversDir, 'kafka'), port: await freePort() });
  brokers = kafka.brokers;
  stops.push(() => kafka.stop());
  console.log(`kafka: ${brokers} (pid ${kafka.pid})`);
  // No session override here: the services' default (CHRONICLE_KAFKA_SESSION_TIMEOUT_MS, 6 s) holds.
  // This used to set 3 s, a setting tuned for quick failover in tests; on a machine whose cores
  // are busy, 3 s sessions expel live members that heartbeat late, and every group keeps
  // rebalancing (README, Recovery). Set the variable to choose another.
}
const admin = process.env.CHRONICLE_TOKENS ? undefined : localAdminToken(dataDir);
const tokens = process.env.CHRONICLE_TOKENS ?? admin!.spec;
const env = { ...process.env, DATABASE_URL: databaseUrl, KAFKA_BROKERS: brokers, CHRONICLE_TOKENS: tokens };

// CHRONICLE_PROFILE_DIR=<dir>: every service writes a V8 CPU profile there when it stops (see README, Benchmarks).
const profiling = process.env.CHRONICLE_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.CHRONICLE_PROFILE_DIR}`] : [];

function start(app: string, extra: Record<string, string> = {}): Promise<void> {
  const child = spawn(process.execPath, [...profiling, join('apps', app, 'dist', 'main.js')], { env: { ...env, ...extra }, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((ready, fail) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      if (/^chronicle \w+ (ready|listening)/m.test(chunk.toString())) ready();
    });
    child.once('exit', (code) => fail(new Error(`${app} exited with ${code}`)));
  });
}

const shutdown = async () => {
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
  for (const stop of stops.reverse()) await stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

await start('projection');
await Promise.all([...Array.from({ length: Number(values.executors) }, (_, i) => start('executor', { CHRONICLE_INSTANCE_ID: `executor-${i + 1}` })), start('scheduler')]);
await start('gateway', { PORT: values.port! });
console.log(`Chronicle (distributed) on http://127.0.0.1:${values.port} — pids: ${children.map((c) => c.pid).join(' ')}`);
console.log(`  data: ${dataDir}; bus: Kafka ${brokers}`);
if (admin) console.log(`  ADMIN token: ${admin.token}  (kept in ${admin.path}; send "Authorization: Bearer <token>")`);

function portFree(port: number): Promise<boolean> {
  if (!(port > 0)) return Promise.resolve(true);
  return new Promise((done) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => done(error.code !== 'EADDRINUSE'));
    probe.listen(port, '127.0.0.1', () => probe.close(() => done(true)));
  });
}
