/**
 * What storing `executions.doc` costs Postgres, per storage choice (not a test): the bench's
 * rebuild scenario builds a real `executions` table (benchmark01 executions), its rows are written
 * out once to a COPY file in the server's data dir, then loaded with COPY into fresh tables stored each way, in turn and
 * repeated; for each load, the CPU time of the Postgres backend doing it (from /proc) and the
 * table's size, and the CPU time of reading every doc back. The COPY parsing is the same for all: the differences are TOAST's.
 * Run from the repo (as rebuild-throughput.ts):
 *   TSX_TSCONFIG_PATH=tsconfig.base.json node --import tsx bench/tools/toast-storage.ts [events=200000] [rounds=3]
 * `CHRONICLE_BENCH_POSTGRES_BIN=/usr/lib/postgresql/15/bin` uses another build's Postgres (e.g. with lz4).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, freePort, startPostgres } from '@chronicle/dev-infra';
import type { SingleBar } from 'cli-progress';
import pg from 'pg';
import { rebuild } from '../src/scenarios/rebuild.scenario.js';

const events = Number(process.argv[2] ?? 200_000);
const rounds = Number(process.argv[3] ?? 3);

const VARIANTS: Record<string, string[]> = {
  'pglz (default)': ['ALTER TABLE v ALTER COLUMN doc SET COMPRESSION pglz'],
  lz4: ['ALTER TABLE v ALTER COLUMN doc SET COMPRESSION lz4'],
  'STORAGE EXTERNAL': ['ALTER TABLE v ALTER COLUMN doc SET STORAGE EXTERNAL'],
  'toast_tuple_target=8160': ['ALTER TABLE v SET (toast_tuple_target = 8160)'],
};

/** CPU seconds (user + system) of one process, from /proc (Linux). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const dir = mkdtempSync(join(tmpdir(), 'chronicle-toast-bench-'));
const binDir = process.env.CHRONICLE_BENCH_POSTGRES_BIN;
const server = await startPostgres({
  dataDir: join(dir, 'pg'), port: await freePort(), fast: true,
  ...(binDir ? { binaries: { initdb: join(binDir, 'initdb'), postgres: join(binDir, 'postgres') } } : {}),
});
try {
  await createDatabase(server.adminUrl, 'toast');
  const url = server.urlFor('toast');
  await rebuild(url, events, { update: () => undefined } as unknown as SingleBar);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // In the server's data dir: the server writes and reads the file as its own user.
    const { rows: [{ file }] } = await client.query(`SELECT quote_literal(current_setting('data_directory') || '/toast-bench-rows.copy') AS file`);
    const { rowCount: count } = await client.query(`COPY executions TO ${file}`);
    const { rows: [{ pid, version, lz4 }] } = await client.query(
      `SELECT pg_backend_pid() AS pid, current_setting('server_version') AS version,
              coalesce((SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'), false) AS lz4`,
    );
    console.log(JSON.stringify({ version, rows: count }));
    const variants = Object.entries(VARIANTS).filter(([name]) => lz4 || name !== 'lz4');
    for (let round = 1; round <= rounds; round++) {
      for (const [name, statements] of variants) {
        await client.query('DROP TABLE IF EXISTS v');
        await client.query('CREATE TABLE v (LIKE executions INCLUDING DEFAULTS)');
        for (const statement of statements) await client.query(statement);
        const before = cpuSeconds(pid);
        await client.query(`COPY v FROM ${file}`);
        const cpu = cpuSeconds(pid) - before;
        // Reading every doc back (what the projector's row lookup and the API's reads do): detoasted, decompressed.
        const beforeRead = cpuSeconds(pid);
        await client.query(`SELECT count(*) FROM v WHERE doc ? 'id'`);
        const readCpu = cpuSeconds(pid) - beforeRead;
        const { rows: [size] } = await client.query(
          `SELECT pg_total_relation_size('v')::bigint / 1048576 AS "totalMb", pg_relation_size('v')::bigint / 1048576 AS "heapMb",
                  (SELECT count(*) FROM v WHERE pg_column_compression(doc) IS NOT NULL)::int AS "compressedDocs"`,
        );
        console.log(JSON.stringify({ round, variant: name, backendCpuSeconds: Math.round(cpu * 100) / 100, readCpuSeconds: Math.round(readCpu * 100) / 100, usPerRow: Math.round((cpu * 1e6) / count!), ...size }));
      }
    }
    await client.query('DROP TABLE IF EXISTS v');
  } finally {
    await client.end();
  }
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
