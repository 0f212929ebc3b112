/**
 * `npm test`: builds, type-checks the specs (a whole run), makes sure a real Postgres and a real Kafka are there (uses the
 * ones named by CHRONICLE_TEST_PG_URL / CHRONICLE_TEST_KAFKA_BROKERS, as `.ci/run`
 * provides, or starts its own with the project's helpers and stops them by PID after),
 * runs every project's Nx `test` target, and prints `N passed, N failed`.
 * A server that cannot start fails the run: nothing is skipped.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startPostgres, startKafka, type PostgresServer, type KafkaServer } from '@chronicle/dev-infra';

const root = process.cwd();
const stops: Array<() => Promise<void>> = [];
const stopAll = async () => {
  for (const stop of stops.reverse()) await stop().catch((e) => console.error(`stop failed: ${e}`));
};
process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));
process.on('SIGTERM', () => void stopAll().then(() => process.exit(143)));

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env, cwd: root });
  return r.status ?? 1;
}

interface JsonReport {
  testResults?: Array<{ name: string; message?: string; assertionResults?: Array<{ fullName: string; status: string; failureMessages?: string[] }> }>;
}

/** One line per failed test (and per suite that failed outside a test), with the start of its message. */
function failedTests(file: string, report: JsonReport): string[] {
  const short = (text: string | undefined) => (text ?? '').split('\n').slice(0, 6).join('\n      ').slice(0, 800);
  return (report.testResults ?? []).flatMap((suite) => {
    const tests = (suite.assertionResults ?? []).filter((t) => t.status === 'failed').map((t) => `  ${file}: ${t.fullName}\n      ${short(t.failureMessages?.[0])}`);
    return tests.length || !suite.message ? tests : [`  ${file}: ${suite.name}\n      ${short(suite.message)}`];
  });
}

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(`usage: npm test [-- <nx run-many options>], e.g. npm test -- -p @chronicle/gateway
  Checks package boundaries, builds, uses the Postgres and Kafka named by CHRONICLE_TEST_PG_URL and
  CHRONICLE_TEST_KAFKA_BROKERS (or starts its own), runs every project's tests, prints the counts.`);
  process.exit(0);
}

let exitCode = 1;
try {
  // The package boundaries first (docs/architecture.md): a forbidden import fails the run before anything else.
  console.log('> checking package boundaries (npm run check:boundaries)');
  if (run('npm', ['run', 'check:boundaries', '--silent']) !== 0) throw new Error('the boundary check failed');

  // The whole build, UI included: the gateway serves apps/ui/dist in the end-to-end suites.
  console.log('> building (npm run build)');
  if (run('npm', ['run', 'build', '--silent']) !== 0) throw new Error('the build failed');

  // The build compiles no spec, test suite or benchmark; vitest strips types without checking them. A whole
  // run checks them (about a minute); a run narrowed to some projects (`npm test -- -p ...`) leaves it out.
  if (process.argv.length <= 2) {
    console.log('> type-checking specs, test suites and the benchmark (tsc -p tsconfig.check.json), and the UI\'s browser suites (tsc -p apps/ui/tsconfig.e2e.json)');
    if (run('npx', ['tsc', '-p', 'tsconfig.check.json']) !== 0) throw new Error('the specs do not type-check (see above)');
    // The UI's own specs (src/) are checked by its build; its browser suites (e2e/) only here.
    if (run('npx', ['tsc', '-p', 'apps/ui/tsconfig.e2e.json']) !== 0) throw new Error('the UI\'s browser suites do not type-check (see above)');
  }

  const env: NodeJS.ProcessEnv = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
  if (!env.CHRONICLE_TEST_PG_URL) {
    const dir = mkdtempSync(join(tmpdir(), 'chronicle-test-pg-'));
    const pg: PostgresServer = await startPostgres({ dataDir: dir, port: await freePort(), fast: true });
    stops.push(async () => { await pg.stop(); rmSync(dir, { recursive: true, force: true }); });
    env.CHRONICLE_TEST_PG_URL = pg.adminUrl;
    console.log(`> postgres started for the tests: ${pg.adminUrl} (pid ${pg.pid})`);
  }
  if (!env.CHRONICLE_TEST_KAFKA_BROKERS) {
    const dir = mkdtempSync(join(tmpdir(), 'chronicle-test-kafka-'));
    const kafka: KafkaServer = await startKafka({ dataDir: dir, port: await freePort() });
    stops.push(async () => { await kafka.stop(); rmSync(dir, { recursive: true, force: true }); });
    env.CHRONICLE_TEST_KAFKA_BROKERS = kafka.brokers;
    console.log(`> kafka started for the tests: ${kafka.brokers} (pid ${kafka.pid})`);
  }

  const results = join(root, 'tmp', 'test-results');
  rmSync(results, { recursive: true, force: true });
  mkdirSync(results, { recursive: true });
  env.CHRONICLE_TEST_RESULTS = results;
  const nxCode = run('npx', ['nx', 'run-many', '-t', 'test', '--outputStyle=stream', ...process.argv.slice(2)], env);

  let passed = 0, failed = 0, skipped = 0;
  const failures: string[] = [];
  for (const file of readdirSync(results)) {
    const report = JSON.parse(readFileSync(join(results, file), 'utf8'));
    passed += report.numPassedTests ?? 0;
    failed += report.numFailedTests ?? 0;
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    failures.push(...failedTests(file, report));
  }
  // The failures again at the very end: CI keeps only the tail of the output.
  if (failures.length) console.log(`\nfailed:\n${failures.join('\n')}`);
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  exitCode = nxCode !== 0 || failed > 0 || passed === 0 ? 1 : 0;
} catch (error) {
  console.error(`npm test: ${(error as Error).message}`);
  exitCode = 1;
} finally {
  await stopAll();
}
process.exit(exitCode);
