/**
 * Projection rebuild speed alone (not a test): the bench's rebuild scenario (a log of real
 * benchmark01 executions written straight into a fresh event store, then the product's
 * `runRebuild` into the shadow and the swap) on a Postgres of its own, with the CPU time this
 * process spent during the replay. With a profile directory as second argument it also writes
 * the replay's own V8 CPU profile there (`replay.cpuprofile`, the log's writing left out) and
 * Postgres's time per statement (`statements.txt`, from pg_stat_statements). Run from the repo:
 *   TSX_TSCONFIG_PATH=tsconfig.base.json node --import tsx --conditions=@chronicle/source \
 *     bench/tools/rebuild-throughput.ts [events=100000] [profileDir|''] [batchSize|''] [foldWorkers]
 * CPU is the whole process's (the fold workers' threads included, and split by thread: `nodeThreadsCpuSeconds`)
 * and Postgres's process tree; it also lists the tables autovacuum visited during the run.
 * `CHRONICLE_BENCH_POSTGRES_DURABLE=1` keeps Postgres's defaults (fsync, full page writes, synchronous commit on)
 * instead of the fast settings: what WAL costs a production server.
 * `CHRONICLE_BENCH_POSTGRES_BIN=/usr/lib/postgresql/15/bin` runs another build's Postgres instead of
 * the embedded one (e.g. a distribution's, built with lz4). It also prints how `executions` is
 * stored after the swap (its size, `doc`'s storage and compression, the table's options).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, freePort, startPostgres } from '@chronicle/dev-infra';
import type { SingleBar } from 'cli-progress';
import { rebuild } from '../src/scenarios/rebuild.scenario.js';

const events = Number(process.argv[2] ?? 100_000);
const profileDir = process.argv[3] || undefined;
const batchSize = process.argv[4] ? Number(process.argv[4]) : undefined;
const foldWorkers = process.argv[5] ? Number(process.argv[5]) : undefined;

/** CPU seconds (user + system) of a process and all its descendants, the exited ones included, from /proc (Linux). */
function treeCpuSeconds(root: number): number {
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime + stime, and cutime + cstime: the backends that exited (their CPU goes to the postmaster that reaps them).
      stats.set(Number(entry), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]) });
    } catch {
      // gone meanwhile
    }
  }
  let ticks = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    ticks += stats.get(pid)?.ticks ?? 0;
    for (const [child, s] of stats) if (s.ppid === pid) stack.push(child);
  }
  return ticks / 100;
}
/** CPU seconds of each of this process's threads (main, fold workers, V8's GC helpers, libuv's pool) by thread id, with its name, from /proc (Linux). */
function threadCpuSeconds(into: Map<string, { name: string; seconds: number }>): void {
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      into.set(tid, { name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), seconds: (Number(fields[11]) + Number(fields[12])) / 100 });
    } catch {
      // gone meanwhile
    }
  }
}
/**
 * Seconds per thread between two readings (a thread that ended keeps its last reading: sampled while it ran): the main
 * thread's, then the others' largest first (all are named `node`; the fold worker is the busiest of them, then V8's GC helpers).
 */
function byThread(at: Map<string, { name: string; seconds: number }>, end: Map<string, { name: string; seconds: number }>): { main: number; others: number[] } {
  const spent = (tid: string) => Math.round(((end.get(tid)?.seconds ?? 0) - (at.get(tid)?.seconds ?? 0)) * 100) / 100;
  const others = [...end.keys()].filter((tid) => tid !== String(process.pid)).map(spent).filter((s) => s > 0).sort((a, b) => b - a);
  return { main: spent(String(process.pid)), others };
}
const dir = mkdtempSync(join(tmpdir(), 'chronicle-rebuild-bench-'));
const binDir = process.env.CHRONICLE_BENCH_POSTGRES_BIN;
const pg = await startPostgres({
  dataDir: join(dir, 'pg'), port: await freePort(), fast: process.env.CHRONICLE_BENCH_POSTGRES_DURABLE !== '1',
  ...(binDir ? { binaries: { initdb: join(binDir, 'initdb'), postgres: join(binDir, 'postgres') } } : {}),
  ...(profileDir ? { settings: { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track': 'all' } } : {}),
});
const session = profileDir ? new Session() : undefined;
try {
  await createDatabase(pg.adminUrl, 'rebuild');
  const bar = { update: () => undefined } as unknown as SingleBar;
  let cpuAtReplay: NodeJS.CpuUsage | undefined;
  let pgAtReplay = 0;
  const threadsAtReplay = new Map<string, { name: string; seconds: number }>();
  const threadsLatest = new Map<string, { name: string; seconds: number }>();
  let threadSampler: NodeJS.Timeout | undefined;
  const [row] = await rebuild(pg.urlFor('rebuild'), events, bar, { batchSize, foldWorkers, onReplayStart: async () => {
    if (session) await startProfiling(pg.urlFor('rebuild'), session);
    cpuAtReplay = process.cpuUsage();
    threadCpuSeconds(threadsAtReplay);
    threadSampler = setInterval(() => threadCpuSeconds(threadsLatest), 100);
    pgAtReplay = treeCpuSeconds(pg.pid);
  } });
  const pgSeconds = treeCpuSeconds(pg.pid) - pgAtReplay;
  const cpu = process.cpuUsage(cpuAtReplay);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  clearInterval(threadSampler);
  threadCpuSeconds(threadsLatest);
  const threads = byThread(threadsAtReplay, threadsLatest);
  const n = Number(row!.events);
  if (session && profileDir) await writeProfile(pg.urlFor('rebuild'), session, profileDir);
  const storage = await executionsStorage(pg.urlFor('rebuild'));
  console.log(JSON.stringify({
    ...row, ...storage, nodeCpuSeconds: Math.round(cpuSeconds * 100) / 100, nodeThreadsCpuSeconds: threads, postgresCpuSeconds: Math.round(pgSeconds * 100) / 100,
    cpuUsPerEvent: Math.round(((cpuSeconds + pgSeconds) * 1e6) / n), eventsPerCpuSecond: Math.round(n / (cpuSeconds + pgSeconds)),
    loadAverage: (await import('node:os')).loadavg()[0],
  }));
} finally {
  await pg.stop();
  rmSync(dir, { recursive: true, force: true });
}

/** How the swapped-in `executions` table is stored: its size with TOAST and indexes, `doc`'s storage and compression, the table's options; and which tables autovacuum visited. */
async function executionsStorage(url: string): Promise<Record<string, unknown>> {
  const client = new (await import('pg')).default.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: [row] } = await client.query(
      `SELECT current_setting('server_version') AS "serverVersion", pg_total_relation_size(c.oid)::bigint / 1048576 AS "executionsMb",
              a.attstorage AS "docStorage", nullif(a.attcompression::text, '') AS "docCompression", c.reloptions AS "tableOptions"
         FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'doc'
        WHERE c.oid = 'executions'::regclass`,
    );
    // Autovacuum's work during the run (Postgres CPU the statements do not show): per table, vacuums and analyzes.
    const { rows: autovacuum } = await client.query(
      `SELECT schemaname || '.' || relname AS t, autovacuum_count AS v, autoanalyze_count AS a
         FROM pg_stat_all_tables WHERE autovacuum_count + autoanalyze_count > 0 ORDER BY 1`,
    );
    return { ...row, autovacuum: autovacuum.map((r) => `${r.t}:v${r.v}a${r.a}`).join(' ') };
  } finally {
    await client.end();
  }
}

async function startProfiling(url: string, s: Session): Promise<void> {
  const client = new (await import('pg')).default.Client({ connectionString: url });
  await client.connect();
  await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  await client.query('SELECT pg_stat_statements_reset()');
  await client.end();
  s.connect();
  await s.post('Profiler.enable');
  await s.post('Profiler.setSamplingInterval', { interval: 500 });
  await s.post('Profiler.start');
}

async function writeProfile(url: string, s: Session, out: string): Promise<void> {
  const { profile } = await s.post('Profiler.stop');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'replay.cpuprofile'), JSON.stringify(profile));
  const client = new (await import('pg')).default.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query(
    `SELECT round(total_exec_time)::int AS ms, calls, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 160) AS query
       FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 25`,
  );
  await client.end();
  writeFileSync(join(out, 'statements.txt'), rows.map((r) => `${r.ms} ms\t${r.calls} calls\t${r.rows} rows\t${r.query}`).join('\n') + '\n');
}
