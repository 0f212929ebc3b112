import { exitOnStartupFailure, onShutdown, startServiceTracing } from '@chronicle/application';
import { createLogger, loadConfig, type ChronicleConfig } from '@chronicle/runtime';
import { startStandalone } from './standalone-app.js';

const startedAt = performance.now();
const logger = createLogger('chronicle');
let config: ChronicleConfig;
try {
  config = loadConfig();
} catch (error) {
  exitOnStartupFailure('standalone', logger, error);
}
startServiceTracing('standalone', config.tracing, logger);
// One line naming what to fix (the embedded Postgres is stopped by then), never a stack trace.
const chronicle = await startStandalone(config, logger).catch((error: unknown) => exitOnStartupFailure('standalone', logger, error));
onShutdown(logger, () => chronicle.close());

const { url } = chronicle;
const seconds = ((performance.now() - startedAt) / 1000).toFixed(2);
console.log(`Chronicle (standalone) listening on ${url} — GraphQL ${url}/graphql, REST ${url}/api/v1 (ready in ${seconds}s)`);
console.log(`  data: ${chronicle.dataDir}${config.databaseUrl ? ' (DATABASE_URL)' : ' (embedded Postgres)'}; bus: ${chronicle.platform.mode === 'distributed' ? 'Kafka' : 'in-process'}`);
if (chronicle.generatedToken) {
  console.log(`  ADMIN token: ${chronicle.generatedToken}  (kept in ${chronicle.dataDir}/admin-token; send "Authorization: Bearer <token>")`);
}
