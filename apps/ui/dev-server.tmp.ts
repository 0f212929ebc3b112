import { startStandalone } from '@chronicle/standalone';
import { createLogger, loadConfig, startPostgres, freePort } from '@chronicle/runtime';
const pg = await startPostgres({ dataDir: '/tmp/uidev/pg-' + process.pid, port: await freePort(), fast: true });
const config = loadConfig({ PORT: process.env.PORT ?? '18080', DATABASE_URL: pg.adminUrl, CHRONICLE_TOKENS: 'ADMIN=admin-token-0123456789,VIEWER=viewer-token-0123456789,OPERATOR=operator-token-0123456789', CHRONICLE_LOG_LEVEL: 'warn' });
const app = await startStandalone(config, createLogger('dev', 'warn'));
console.log('READY', app.url, 'pg pid', pg.pid);
const stop = async () => { await app.close(); await pg.stop(); process.exit(0); };
process.on('SIGINT', stop); process.on('SIGTERM', stop);
