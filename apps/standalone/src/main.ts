import { resolve } from 'node:path';
import { exitOnStartupFailure, processShutdown, startServiceTracing } from '@chronicle/composition';
import { createLogger, loadConfig, type ChronicleConfig } from '@chronicle/runtime';
import { DataFolderError } from './data-folder.js';
import { startStandalone } from './standalone-app.js';

const startedAt = performance.now();
const logger = createLogger('chronicle');
// First of all: a SIGTERM while still starting stops what started (the embedded Postgres included).
const shutdown = processShutdown(logger);
let config: ChronicleConfig;
try {
  config = loadConfig();
} catch (error) {
  exitOnStartupFailure('standalone', logger, error);
}
startServiceTracing('standalone', config.tracing, logger);
// One line naming what to fix (the embedded Postgres is stopped by then), never a stack trace.
const chronicle = await startStandalone(config, logger, shutdown).catch((error: unknown) => {
  // A signal is stopping the process: the failure is its doing, and the stop exits.
  if (shutdown.isStopping) return new Promise<never>(() => undefined);
  // What the data folder cannot bridge: one line saying what to do.
  if (error instanceof DataFolderError) {
    console.error(`chronicle: ${error.message}`);
    process.exit(2);
  }
  return exitOnStartupFailure('standalone', logger, error);
});
shutdown.started(() => chronicle.close());

const { url } = chronicle;
const seconds = ((performance.now() - startedAt) / 1000).toFixed(2);
console.log(`Chronicle (standalone) listening on ${url} — GraphQL ${url}/graphql, REST ${url}/api/v1 (ready in ${seconds}s)`);
console.log(`  data: ${chronicle.dataDir}${config.databaseUrl ? ' (DATABASE_URL)' : ' (embedded Postgres)'}; bus: ${chronicle.platform.mode === 'distributed' ? 'Kafka' : 'in-process'}`);
if (chronicle.generatedToken) {
  console.log(`  ADMIN token: ${chronicle.generatedToken}  (kept in ${chronicle.dataDir}/admin-token; send "Authorization: Bearer <token>")`);
}
if (chronicle.noFlows) {
  // A first run: the one next step, in the terminal as on the UI's first screen.
  const env = [url === 'http://127.0.0.1:8080' ? '' : `CHRONICLE_URL=${url} `, chronicle.generatedToken && chronicle.dataDir !== resolve('.chronicle') ? `CHRONICLE_DATA_DIR=${chronicle.dataDir} ` : ''];
  const cli = `${env.join('')}npx chronicle`;
  console.log(`  No flow deployed yet: \`${cli} flows deploy ./flows\` deploys the examples (in the repository), then open ${url}/ and sign in with the token.`);
}
